import KlaxonRuntime

/// How durations, times and values read in messages.
package enum MessageFormat {
    /// `4m`, `1h 2m 3s`, `2d 3h`; under a second `0s`. Negative durations read as `0s`.
    package static func duration(milliseconds: Int64) -> String {
        var seconds = max(0, milliseconds) / 1000
        guard seconds > 0 else { return "0s" }
        var parts: [String] = []
        for (unit, size) in [("d", Int64(86_400)), ("h", 3600), ("m", 60), ("s", 1)] where seconds >= size {
            parts.append("\(seconds / size)\(unit)")
            seconds %= size
        }
        return parts.joined(separator: " ")
    }

    /// `later - earlier` in milliseconds, saturating instead of trapping on times far apart.
    package static func elapsed(from earlier: Int64, to later: Int64) -> Int64 {
        let (difference, overflow) = later.subtractingReportingOverflow(earlier)
        return overflow ? (later > earlier ? .max : .min) : difference
    }

    /// Years 0001 to 9999 in Unix milliseconds: times outside are shown at the nearest end (a
    /// corrupt stored time must not trap the calendar arithmetic).
    package static let printableTimes: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999

    /// `time` moved into `printableTimes`.
    package static func printable(_ time: Int64) -> Int64 {
        min(max(time, printableTimes.lowerBound), printableTimes.upperBound)
    }

    /// `2026-01-01 00:00:00 UTC`.
    package static func time(unixMilliseconds: Int64) -> String {
        let civil = CivilTime(unixMilliseconds: printable(unixMilliseconds))
        let date =
            "\(CivilTime.padded(civil.year, 4))-\(CivilTime.padded(civil.month, 2))-"
            + CivilTime.padded(civil.day, 2)
        let clock =
            "\(CivilTime.padded(civil.hour, 2)):\(CivilTime.padded(civil.minute, 2)):"
            + CivilTime.padded(civil.second, 2)
        return "\(date) \(clock) UTC"
    }

    /// A sample value as people read it: integers without a fraction, others as Swift prints them
    /// (shortest text that reads back the same), `NaN`, `+Inf`, `-Inf`.
    package static func value(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
