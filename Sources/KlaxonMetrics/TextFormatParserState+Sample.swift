// MARK: - Sample lines

extension TextFormatParserState {
    /// `name{labels} value [timestamp]`, where the name may also be quoted, before or inside the braces.
    mutating func sampleLine() throws(TextFormatParseError) {
        let lineOffset = cursor.position
        var name: String?
        labels.removeAll(keepingCapacity: true)
        labelOffsets.removeAll(keepingCapacity: true)
        if cursor.current == UInt8(ascii: "\"") {
            let quoted = try cursor.readQuoted("metric name", escapes: .strict, slot: 0)
            try checkQuotedName(quoted, metric: true, at: lineOffset)
            name = quoted
            cursor.skipBlanks()
        } else if cursor.current != UInt8(ascii: "{") {
            let start = cursor.readLegacyName(allowColon: true)
            guard cursor.position > start, let text = cursor.string(start, cursor.position, slot: 0) else {
                throw cursor.error(
                    "invalid metric name; a name is [a-zA-Z_:][a-zA-Z0-9_:]* or quoted inside the braces")
            }
            name = text
            cursor.skipBlanks()
        }
        if cursor.consume(UInt8(ascii: "{")) { try labelSet(&name) }
        guard let name else {
            throw cursor.error("invalid metric name: the sample has no metric name", at: lineOffset)
        }
        let (index, role) = resolve(name)
        try checkStructuralLabels(family: index)

        cursor.skipBlanks()
        let valueStart = cursor.readToken()
        guard let value = TextFormatNumbers.parseFloat(cursor.bytes, valueStart, cursor.position, .go) else {
            throw cursor.error("expected float as value, got \"\(text(valueStart, cursor.position))\"", at: valueStart)
        }
        var timestamp: Int64?
        // As in expfmt, blanks after the value announce a timestamp, and nothing may follow the timestamp.
        if !cursor.atLineEnd {
            cursor.skipBlanks()
            let start = cursor.readToken()
            guard let parsed = TextFormatNumbers.parseInt64(cursor.bytes, start, cursor.position) else {
                throw cursor.error(
                    "expected integer as timestamp (milliseconds), got \"\(text(start, cursor.position))\"", at: start)
            }
            timestamp = parsed
            if !cursor.atLineEnd {
                cursor.skipBlanks()
                throw cursor.error("spurious string after timestamp; nothing, not even blanks, may follow it")
            }
        }
        let type = families[index].type
        if (type == .histogram || type == .gaugehistogram) && value < 0 {
            if role == .count {
                throw cursor.error("negative count for histogram \"\(families[index].name)\"", at: valueStart)
            }
            if role == .bucket {
                throw cursor.error(
                    "negative bucket population for histogram \"\(families[index].name)\"", at: valueStart)
            }
        }
        if !keptByExpfmt(type: type, role: role) { return }
        if !typeFixed[index] {
            families[index].type = .untyped
            typeFixed[index] = true
        }
        let sampleLabels = labelSet()
        families[index].samples.append(
            ParsedSample(name: name, labels: sampleLabels, value: value, timestamp: timestamp))
    }

    /// expfmt files a summary line only as a quantile, `_sum` or `_count`, and a histogram line only as a
    /// bucket with `le`, `_sum` or `_count`; it drops any other line of such a family, and so does this parser.
    private func keptByExpfmt(type: MetricType, role: Role) -> Bool {
        switch type {
        case .summary: role == .count || role == .sum || labels.contains { $0.name == "quantile" }
        case .histogram, .gaugehistogram: role == .count || role == .sum || labels.contains { $0.name == "le" }
        default: true
        }
    }

    private func text(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: cursor.bytes[start..<min(end, start + 64)]), as: UTF8.self)
    }

    /// The labels read, sorted, without empty values (Prometheus treats `l=""` as no label), with the
    /// parser's label overrides set. Sorts the line's scratch labels: call it last.
    private mutating func labelSet() -> Labels {
        if labels.isEmpty && labelOverrides.isEmpty { return .empty }
        var index = 1
        while index < labels.count, labels[index - 1].name <= labels[index].name { index += 1 }
        if index < labels.count { labels.sort { $0.name < $1.name } }
        // A fresh, exactly sized array: the scratch buffer stays this parser's for the next line.
        return Labels(sortedUnchecked: Labels.merge(labels, sortedUniqueOverrides: labelOverrides))
    }

    // MARK: - Labels

    /// Reads up to and including `}`; a quoted string not followed by `=` is the metric name.
    private mutating func labelSet(_ name: inout String?) throws(TextFormatParseError) {
        while true {
            cursor.skipBlanks()
            if cursor.consume(UInt8(ascii: "}")) { return }
            let nameStart = cursor.position
            let labelName: String
            let slot = 1 + 2 * labels.count
            if cursor.current == UInt8(ascii: "\"") {
                let quoted = try cursor.readQuoted("label name", escapes: .strict, slot: slot)
                cursor.skipBlanks()
                if !cursor.consume(UInt8(ascii: "=")) {
                    guard cursor.current == UInt8(ascii: ",") || cursor.current == UInt8(ascii: "}") else {
                        throw cursor.error(
                            "unexpected end of metric name: expected ',' or '}' after the quoted metric name")
                    }
                    guard name == nil else {
                        throw cursor.error("multiple metric names for one sample", at: nameStart)
                    }
                    try checkQuotedName(quoted, metric: true, at: nameStart)
                    name = quoted
                    _ = cursor.consume(UInt8(ascii: ","))
                    continue
                }
                try checkQuotedName(quoted, metric: false, at: nameStart)
                labelName = quoted
            } else {
                let start = cursor.readLegacyName(allowColon: false)
                guard cursor.position > start, let text = cursor.string(start, cursor.position, slot: slot) else {
                    throw cursor.error(
                        "invalid label name for metric; a label name is [a-zA-Z_][a-zA-Z0-9_]* or quoted")
                }
                labelName = text
                cursor.skipBlanks()
                guard cursor.consume(UInt8(ascii: "=")) else { throw cursor.error("expected '=' after label name") }
            }
            if labelName == Labels.metricNameLabel {
                throw cursor.error("label name \"__name__\" is reserved", at: nameStart)
            }
            for earlier in labels where earlier.name == labelName {
                throw cursor.error("duplicate label names for metric: \"\(labelName)\" appears twice", at: nameStart)
            }
            cursor.skipBlanks()
            guard cursor.current == UInt8(ascii: "\"") else {
                throw cursor.error("expected '\"' at start of label value")
            }
            let valueStart = cursor.position
            let value = try cursor.readQuoted("label value", escapes: .strict, slot: slot + 1)
            labels.append(Label(labelName, value))
            labelOffsets.append(valueStart)
            cursor.skipBlanks()
            if cursor.consume(UInt8(ascii: ",")) { continue }
            if cursor.consume(UInt8(ascii: "}")) { return }
            throw cursor.error("unexpected end of label value: expected ',' or '}' after it")
        }
    }

    /// `quantile` in a summary and `le` in a histogram must be floats.
    private func checkStructuralLabels(family index: Int) throws(TextFormatParseError) {
        let special: String
        switch families[index].type {
        case .summary: special = "quantile"
        case .histogram, .gaugehistogram: special = "le"
        default: return
        }
        for (offset, label) in labels.enumerated() where label.name == special {
            var value = label.value
            let valid = value.withUTF8 { buffer in
                TextFormatNumbers.parseFloat(buffer, 0, buffer.count, .go) != nil
            }
            guard valid else {
                throw cursor.error(
                    "expected float as value for '\(special)' label, got \"\(value)\"", at: labelOffsets[offset])
            }
        }
    }
}
