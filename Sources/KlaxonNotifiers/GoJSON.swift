import KlaxonMetrics
import KlaxonRuntime

/// JSON written the way Go's `encoding/json` writes it, so payloads match Alertmanager's byte for byte.
///
/// Go's encoder escapes `<`, `>`, `&`, U+2028 and U+2029 as `\u003c`-style sequences (HTML-safe
/// output is its default) and writes maps with their keys sorted.
package enum GoJSON {
    /// `text` as a Go JSON string literal, quotes included.
    package static func quoted(_ text: String) -> String {
        JSONString.quoted(text, htmlSafe: true)
    }

    /// A `map[string]string` as Go writes it: keys sorted by their bytes.
    package static func object(_ pairs: [Label]) -> String {
        let sorted = pairs.sorted { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        return "{" + sorted.map { quoted($0.name) + ":" + quoted($0.value) }.joined(separator: ",") + "}"
    }

    /// Go's `time.Time` JSON (RFC 3339 with nanoseconds, trailing zeros of the fraction dropped),
    /// in UTC: `2026-01-01T00:00:00.12Z`. Alertmanager's zero time is `0001-01-01T00:00:00Z`.
    package static func time(unixMilliseconds: Int64) -> String {
        var fraction = ""
        let civil = CivilTime(unixMilliseconds: MessageFormat.printable(unixMilliseconds))
        if civil.millisecond > 0 {
            fraction = "." + CivilTime.padded(civil.millisecond, 3)
            while fraction.hasSuffix("0") { fraction.removeLast() }
        }
        return dateTime(civil) + fraction + "Z"
    }

    /// RFC 3339 with exactly three fraction digits, as Prometheus's Alertmanager client writes times
    /// (go-openapi's `strfmt.DateTime`): `2026-01-01T00:00:00.000Z`.
    package static func timeMillis(unixMilliseconds: Int64) -> String {
        let civil = CivilTime(unixMilliseconds: MessageFormat.printable(unixMilliseconds))
        return dateTime(civil) + "." + CivilTime.padded(civil.millisecond, 3) + "Z"
    }

    /// Go's zero `time.Time`, which Alertmanager sends as `endsAt` of a firing alert.
    package static let zeroTime = "0001-01-01T00:00:00Z"

    private static func dateTime(_ civil: CivilTime) -> String {
        "\(CivilTime.padded(civil.year, 4))-\(CivilTime.padded(civil.month, 2))-\(CivilTime.padded(civil.day, 2))T"
            + "\(CivilTime.padded(civil.hour, 2)):\(CivilTime.padded(civil.minute, 2)):"
            + CivilTime.padded(civil.second, 2)
    }
}
