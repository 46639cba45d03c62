extension CivilTime {
    /// The instant as RFC 3339 in UTC, `2026-12-05T12:02:42Z`, with `.123` when it has milliseconds:
    /// for times written into text people read (audit details), not for machine formats.
    package var rfc3339: String {
        func two(_ value: Int) -> String { CivilTime.padded(value, 2) }
        let fraction = millisecond == 0 ? "" : "." + CivilTime.padded(millisecond, 3)
        return "\(CivilTime.padded(year, 4))-\(two(month))-\(two(day))T\(two(hour)):\(two(minute)):\(two(second))"
            + fraction + "Z"
    }
}
