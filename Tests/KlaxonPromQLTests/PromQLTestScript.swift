import KlaxonMetrics
import KlaxonPromQL

/// One command of Prometheus's PromQL test language.
enum PromQLTestCommand {
    /// `load <step>` with its series.
    case load(step: Int64, series: [SeriesDescription])
    /// `clear`.
    case clear
    /// `eval[_ordered|_fail] instant at <time> <expr>` with its expected lines.
    case eval(PromQLTestCase)
}

/// An `eval` command: the query, its time and what it must return.
struct PromQLTestCase {
    enum Expectation {
        case fail
        case scalar(Double)
        case vector([(labels: Labels, value: Double)], ordered: Bool)
    }

    var line: Int
    var time: Int64
    var query: String
    var expectation: Expectation
}

/// An error in the test file itself.
struct PromQLTestScriptError: Error, CustomStringConvertible {
    var line: Int
    var message: String
    var description: String { "line \(line): \(message)" }
}

/// Reads the test language: `load`, `clear`, `eval`, `eval_ordered`, `eval_fail`, comments and blank lines.
enum PromQLTestScript {
    static func parse(_ text: String) throws -> [PromQLTestCommand] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var commands: [PromQLTestCommand] = []
        var index = 0
        /// The indented lines following a command, up to a blank or unindented line.
        func body() -> [(Int, String)] {
            var found: [(Int, String)] = []
            while index < lines.count, let first = lines[index].first, first == " " || first == "\t" {
                let trimmed = trim(lines[index])
                if trimmed.isEmpty { break }
                if !trimmed.hasPrefix("#") { found.append((index + 1, trimmed)) }
                index += 1
            }
            return found
        }
        while index < lines.count {
            let lineNumber = index + 1
            let line = trim(lines[index])
            index += 1
            if line.isEmpty || line.hasPrefix("#") { continue }
            let words = line.split(separator: " ", maxSplits: 4, omittingEmptySubsequences: true).map(String.init)
            switch words[0] {
            case "clear":
                commands.append(.clear)
            case "load":
                guard words.count == 2, let step = duration(words[1]) else {
                    throw PromQLTestScriptError(line: lineNumber, message: "expected load <step>")
                }
                var series: [SeriesDescription] = []
                for (number, text) in body() {
                    do {
                        series.append(try SeriesDescription.parse(text))
                    } catch {
                        throw PromQLTestScriptError(line: number, message: error.description)
                    }
                }
                commands.append(.load(step: step, series: series))
            case "eval", "eval_ordered", "eval_fail":
                guard words.count == 5, words[1] == "instant", words[2] == "at", let time = duration(words[3]) else {
                    throw PromQLTestScriptError(line: lineNumber, message: "expected eval instant at <time> <expr>")
                }
                let expected = try expectation(words[0], body())
                commands.append(
                    .eval(PromQLTestCase(line: lineNumber, time: time, query: words[4], expectation: expected)))
            default:
                throw PromQLTestScriptError(line: lineNumber, message: "unknown command \"\(words[0])\"")
            }
        }
        return commands
    }

    private static func expectation(_ command: String, _ lines: [(Int, String)]) throws -> PromQLTestCase.Expectation {
        if command == "eval_fail" { return .fail }
        if lines.count == 1, !lines[0].1.contains("{"),
            let value = SeriesNotation.parseOrNil(lines[0].1).flatMap({ $0.count == 1 ? $0[0] : nil })
        {
            return .scalar(value)
        }
        var elements: [(labels: Labels, value: Double)] = []
        for (number, text) in lines {
            let description: SeriesDescription
            do {
                description = try SeriesDescription.parse(text)
            } catch {
                throw PromQLTestScriptError(line: number, message: error.description)
            }
            guard description.values.count == 1, let value = description.values[0] else {
                throw PromQLTestScriptError(line: number, message: "expected exactly one value")
            }
            elements.append((description.labels, value))
        }
        return .vector(elements, ordered: command == "eval_ordered")
    }

    /// `50m`, `1h30m`, `0`, `0m`: milliseconds (PromQL itself refuses a zero offset, so zeros are read here).
    static func duration(_ text: String) -> Int64? {
        if text == "0" { return 0 }
        if let unit = text.firstIndex(where: { !$0.isNumber }), text[..<unit].allSatisfy({ $0 == "0" }),
            unit != text.startIndex, ["ms", "s", "m", "h", "d", "w", "y"].contains(String(text[unit...]))
        {
            return 0
        }
        guard case .vectorSelector(let selector)? = try? PromQL.parse("x offset \(text)") else { return nil }
        return selector.offset
    }

    private static func trim(_ text: String) -> String {
        String(
            text.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
    }
}

extension SeriesNotation {
    /// Parse returning nil instead of throwing, for the scalar-or-series decision.
    static func parseOrNil(_ text: String) -> [Double?]? {
        try? parse(text)
    }
}
