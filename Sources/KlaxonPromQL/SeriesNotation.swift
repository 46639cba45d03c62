import KlaxonMetrics

/// The expanding value notation of Prometheus's test language and promtool's `input_series`.
///
/// Items are separated by spaces: `1` a value, `_` a missing step, `stale` a stale marker,
/// `a+bxn` / `a-bxn` the value `a` then `n` more steps changing by `b`, `axn` the value `a`
/// repeated `n` more times, `_xn` n missing steps.
package enum SeriesNotation {
    /// Most steps one notation may expand to, so a short text cannot exhaust memory.
    package static let maxSteps = 1_000_000

    /// The value at each step: nil for a missing step, `Sample.staleNaN` for `stale`.
    package static func parse(_ text: String) throws(PromQLError) -> [Double?] {
        var values: [Double?] = []
        var column = 1
        let spaced = String(text.map { $0 == "\t" ? " " : $0 })
        for item in spaced.split(separator: " ", omittingEmptySubsequences: false) {
            defer { column += item.count + 1 }
            let word = String(item)
            if word.isEmpty { continue }
            try expand(word, column: column, into: &values)
            guard values.count <= maxSteps else {
                throw PromQLError(line: 1, column: column, "series values expand to more than \(maxSteps) steps")
            }
        }
        return values
    }

    private static func expand(_ word: String, column: Int, into values: inout [Double?]) throws(PromQLError) {
        func bad(_ why: String) -> PromQLError {
            PromQLError(
                line: 1, column: column,
                "bad series value \"\(word)\": \(why); expected a number, _, stale, a+bxn, a-bxn or axn")
        }
        if word == "_" {
            values.append(nil)
            return
        }
        if word == "stale" {
            values.append(Sample.staleNaN)
            return
        }
        let parts = word.split(separator: "x", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else {
            guard let value = number(word) else { throw bad("not a number") }
            values.append(value)
            return
        }
        guard let times = Int(parts[1]), times >= 0, times < maxSteps else {
            throw bad("the repeat count must be a whole number")
        }
        if parts[0] == "_" {
            values.append(contentsOf: repeatElement(nil, count: times))
            return
        }
        let head = String(parts[0])
        var start = head
        var step = 0.0
        if let split = signIndex(head) {
            start = String(head[..<split])
            guard let delta = number(String(head[split...])) else { throw bad("the step is not a number") }
            step = delta
        }
        guard var value = start == "stale" ? Sample.staleNaN : number(start) else { throw bad("not a number") }
        guard values.count + times < maxSteps else { throw bad("too many steps") }
        for _ in 0...times {
            values.append(value)
            value += step
        }
    }

    /// The position of the `+`/`-` separating start and step (not a leading sign or an exponent's sign).
    private static func signIndex(_ text: String) -> String.Index? {
        var previous: Character?
        for index in text.indices {
            let character = text[index]
            if (character == "+" || character == "-") && index != text.startIndex && previous != "e" && previous != "E"
            {
                return index
            }
            previous = character
        }
        return nil
    }

    /// A float as Prometheus writes it, including `Inf`, `+Inf`, `-Inf` and `NaN` in any case.
    static func number(_ text: String) -> Double? {
        var body = Substring(text)
        var sign = 1.0
        if body.hasPrefix("+") {
            body = body.dropFirst()
        } else if body.hasPrefix("-") {
            body = body.dropFirst()
            sign = -1
        }
        switch body.lowercased() {
        case "inf", "infinity": return sign * .infinity
        case "nan": return .nan
        default: break
        }
        guard let first = body.first, first.isNumber || first == "." else { return nil }
        guard let value = Double(body) else { return nil }
        return sign * value
    }
}
