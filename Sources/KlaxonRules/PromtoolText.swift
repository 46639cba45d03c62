import KlaxonConfig
import KlaxonMetrics
import KlaxonRuntime
import KlaxonTemplate

/// Text as promtool prints it in test failures, so Klaxon's messages read the same.
enum PromtoolText {
    /// Prometheus's `labels.Labels.String()`: `{a="1", b="2"}`, values quoted as Go quotes them.
    static func labels(_ labels: Labels) -> String {
        "{" + labels.map { "\($0.name)=\(GoQuote.quote($0.value, delimiter: "\""))" }.joined(separator: ", ") + "}"
    }

    /// The same for annotations, which Klaxon keeps as a list in name order.
    static func labels(_ pairs: [Label]) -> String { labels(Labels(pairs)) }

    /// Go's `strconv.FormatFloat(v, 'E', -1, 64)`: `1E+00`, `6.5E+01`, `NaN`, `+Inf`.
    static func float(_ value: Double) -> String {
        if let special = GoFloatFormat.special(value) { return special }
        let sign = value.sign == .minus ? "-" : ""
        guard value != 0 else { return sign + "0E+00" }
        let (digits, point) = GoFloatFormat.shortestDigits(value)
        // The digits are ASCII.
        var mantissa = String(decoding: digits.prefix(1), as: UTF8.self)
        if digits.count > 1 { mantissa += "." + String(decoding: digits.dropFirst(), as: UTF8.self) }
        let exponent = point - 1
        let magnitude = String(abs(exponent))
        return sign + mantissa + "E" + (exponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "") + magnitude
    }

    /// Prometheus's `model.Duration.String()`: `0s`, `5m`, `1d`, `2m59s999ms`.
    static func modelDuration(_ milliseconds: Int64) -> String {
        PrometheusDuration.format(milliseconds: milliseconds)
    }

    /// Go's `time.Duration.String()` for whole milliseconds: `0s`, `1m0s`, `1h0m0s`, `1.5s`, `100ms`.
    static func goDuration(_ milliseconds: Int64) -> String {
        guard milliseconds != 0 else { return "0s" }
        let sign = milliseconds < 0 ? "-" : ""
        let total = milliseconds.magnitude
        if total < 1000 { return sign + "\(total)ms" }
        let hours = total / 3_600_000
        let minutes = total / 60_000 % 60
        let millis = total % 60_000
        var seconds = "\(millis / 1000)"
        if millis % 1000 != 0 {
            var fraction = String(millis % 1000)
            fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
            while fraction.hasSuffix("0") { fraction.removeLast() }
            seconds += "." + fraction
        }
        if hours > 0 { return sign + "\(hours)h\(minutes)m\(seconds)s" }
        if minutes > 0 { return sign + "\(minutes)m\(seconds)s" }
        return sign + seconds + "s"
    }

    /// Go's `%q` of a string.
    static func quoted(_ text: String) -> String { GoQuote.quote(text, delimiter: "\"") }

    /// Prefixes every line but the first with `indent`, as promtool's `indentLines`.
    static func indentLines(_ text: String, _ indent: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset == 0 ? String($0.element) : indent + $0.element }
            .joined(separator: "\n")
    }

    /// A list of alerts as promtool prints `exp:` and `got:`.
    static func alerts(_ alerts: [(labels: Labels, annotations: Labels)]) -> String {
        guard !alerts.isEmpty else { return "[]" }
        var text = "["
        for (index, alert) in alerts.enumerated() {
            let body = "\nLabels:" + labels(alert.labels) + "\nAnnotations:" + labels(alert.annotations)
            text += (index == 0 ? "\n" : ",\n") + "\(index):" + indentLines(body, "  ")
        }
        return text + "\n]"
    }

    /// Samples as promtool prints them: `{__name__="x"} 1E+00, …`, or `nil` for none.
    static func samples(_ samples: [(labels: Labels, value: Double)]) -> String {
        guard !samples.isEmpty else { return "nil" }
        return samples.map { labels($0.labels) + " " + float($0.value) }.joined(separator: ", ")
    }
}
