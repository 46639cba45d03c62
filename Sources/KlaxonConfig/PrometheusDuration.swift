/// Durations as Prometheus writes them (`1h30m`, `5m`, `100ms`, `1d`, `1w`, `1y`, `0`), in milliseconds.
///
/// Units run from largest to smallest, each at most once; a year is 365 days, as in Prometheus.
package enum PrometheusDuration {
    private static let units: [(name: String, milliseconds: Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000),
        ("s", 1_000), ("ms", 1),
    ]

    /// The sentence used when a duration does not parse.
    package static let syntaxHint = "write a number and a unit (ms, s, m, h, d, w, y), largest first, e.g. 30s or 1h30m"

    /// The longest duration Prometheus accepts: it keeps durations as int64 nanoseconds (about 292
    /// years) and refuses longer ones as "duration out of range". Bounding every duration this way
    /// also keeps `now + 4 × interval` and similar sums far inside `Int64`.
    package static let maxMilliseconds: Int64 = 9_223_372_036_854

    /// Why a text is not a usable duration.
    package enum Failure: Error, Equatable {
        /// Not a Prometheus duration at all.
        case syntax
        /// Well formed, but longer than `maxMilliseconds`.
        case outOfRange
    }

    /// Milliseconds, or nil when the text is not a Prometheus duration or is out of range.
    package static func parse(_ text: String) -> Int64? {
        try? read(text).get()
    }

    /// Milliseconds, or why the text is refused.
    package static func read(_ text: String) -> Result<Int64, Failure> {
        if text == "0" { return .success(0) }
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return .failure(.syntax) }
        var index = 0
        var nextUnit = 0
        var total: Int64 = 0
        var outOfRange = false
        while index < bytes.count {
            var number: Int64 = 0
            let digitsStart = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                let (times, overflow) = number.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times.addingReportingOverflow(Int64(bytes[index] - UInt8(ascii: "0")))
                if overflow || overflow2 { outOfRange = true }
                number = sum
                index += 1
            }
            guard index > digitsStart, index < bytes.count else { return .failure(.syntax) }
            var unitText = String(UnicodeScalar(bytes[index]))
            index += 1
            if unitText == "m" && index < bytes.count && bytes[index] == UInt8(ascii: "s") {
                unitText = "ms"
                index += 1
            }
            guard let position = units[nextUnit...].firstIndex(where: { $0.name == unitText }) else {
                return .failure(.syntax)
            }
            nextUnit = position + 1
            let (part, overflow) = number.multipliedReportingOverflow(by: units[position].milliseconds)
            let (sum, overflow2) = total.addingReportingOverflow(part)
            if overflow || overflow2 { outOfRange = true }
            total = sum
        }
        guard !outOfRange, total <= maxMilliseconds else { return .failure(.outOfRange) }
        return .success(total)
    }

    /// The shortest Prometheus form: `0s`, `1h30m`, `90d`; years and weeks only when exact.
    package static func format(milliseconds: Int64) -> String {
        guard milliseconds != 0 else { return "0s" }
        var text = milliseconds < 0 ? "-" : ""
        var rest = milliseconds.magnitude
        for (name, size) in units {
            let unit = UInt64(size)
            if (name == "y" || name == "w") && rest % unit != 0 { continue }
            let count = rest / unit
            if count > 0 {
                text += "\(count)\(name)"
                rest -= count * unit
            }
        }
        return text
    }
}
