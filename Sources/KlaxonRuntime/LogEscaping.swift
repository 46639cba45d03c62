/// Quoting rules for the two log formats.
enum LogEscaping {
    /// A logfmt value: bare when it is a plain token, otherwise double-quoted with escapes.
    static func logfmtValue(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains { scalar in
                scalar == " " || scalar == "=" || scalar == "\"" || scalar.value < 0x20 || scalar == "\\"
            }
        return needsQuotes ? JSONString.quoted(value) : value
    }
}

/// Formats log timestamps without allocating a DateFormatter per line.
enum LogTime {
    static func rfc3339(milliseconds: Int64) -> String {
        let time = CivilTime(unixMilliseconds: milliseconds)
        let date =
            CivilTime.padded(time.year, 4) + "-" + CivilTime.padded(time.month, 2) + "-"
            + CivilTime.padded(time.day, 2)
        return date + "T" + CivilTime.padded(time.hour, 2) + ":" + CivilTime.padded(time.minute, 2) + ":"
            + CivilTime.padded(time.second, 2) + "." + CivilTime.padded(time.millisecond, 3) + "Z"
    }
}
