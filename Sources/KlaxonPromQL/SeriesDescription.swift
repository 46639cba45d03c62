import KlaxonMetrics

/// A series written as `metric{label="value"} values…`, as in Prometheus's test language and promtool tests.
package struct SeriesDescription: Sendable, Equatable {
    /// The series' labels, the metric name in `__name__`.
    package var labels: Labels
    /// One entry per step: nil for a missing step, `Sample.staleNaN` for `stale`.
    package var values: [Double?]

    /// Parses `metric{a="b"} 1+1x3 _ stale`.
    package static func parse(_ line: String) throws(PromQLError) -> SeriesDescription {
        let bytes = Array(line.utf8)
        let split = metricEnd(bytes)
        let labels = try parseLabels(String(decoding: bytes[..<split], as: UTF8.self))
        let values = try SeriesNotation.parse(String(decoding: bytes[split...], as: UTF8.self))
        return SeriesDescription(labels: labels, values: values)
    }

    /// Parses `metric{a="b"}`, `{__name__="metric", a="b"}` or a bare metric name into labels.
    package static func parseLabels(_ text: String) throws(PromQLError) -> Labels {
        let bytes = Array(text.utf8)
        let (tokens, lexError) = try Lexer.tokenizeForParser(bytes)
        var index = 0
        var pairs: [Label] = []
        // Prometheus's `ParseMetric` words: "unexpected <token> in label set, expected ..."; reaching the end
        // that stands for a lexical error reports that error, as its parser meets it there.
        func fail(_ expected: String) -> PromQLError {
            let token = tokens[index]
            if token.kind == .end, let lexError { return lexError }
            var message = "unexpected \(token.prometheusDescription(in: bytes))"
            if !expected.isEmpty { message += " in label set, expected \(expected)" }
            return PromQLError.at(token.offset, in: bytes, message)
        }
        if case .identifier(let name) = tokens[index].kind {
            pairs.append(Label(Labels.metricNameLabel, name))
            index += 1
        }
        var sawBraces = false
        if tokens[index].kind == .leftBrace {
            sawBraces = true
            index += 1
            while tokens[index].kind != .rightBrace {
                guard case .identifier(let name) = tokens[index].kind, Parser.isLabelName(name) else {
                    throw fail("identifier or \"}\"")
                }
                index += 1
                guard tokens[index].kind == .assign else { throw fail("\"=\"") }
                index += 1
                guard case .string(let value) = tokens[index].kind else { throw fail("string") }
                index += 1
                pairs.append(Label(name, value))
                if tokens[index].kind == .comma {
                    index += 1
                } else if tokens[index].kind != .rightBrace {
                    throw fail("\",\" or \"}\"")
                }
            }
            index += 1
        }
        guard tokens[index].kind == .end, sawBraces || !pairs.isEmpty else { throw fail("") }
        if let lexError { throw lexError }
        return Labels(pairs)
    }

    /// Where the metric part ends: after the closing brace, or at the first blank when there is none.
    private static func metricEnd(_ bytes: [UInt8]) -> Int {
        var index = 0
        while index < bytes.count, bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t") {
            index += 1
        }
        var quote: UInt8?
        var inBraces = false
        while index < bytes.count {
            let byte = bytes[index]
            if let open = quote {
                if byte == UInt8(ascii: "\\") {
                    index += 1
                } else if byte == open {
                    quote = nil
                }
            } else if inBraces {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") || byte == UInt8(ascii: "`") {
                    quote = byte
                } else if byte == UInt8(ascii: "}") {
                    return index + 1
                }
            } else if byte == UInt8(ascii: "{") {
                inBraces = true
            } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                return index
            }
            index += 1
        }
        return min(index, bytes.count)
    }
}
