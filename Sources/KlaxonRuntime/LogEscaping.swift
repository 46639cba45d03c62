import Foundation

/// Quoting rules for the two log formats.
enum LogEscaping {
    /// A logfmt value: bare when it is a plain token, otherwise double-quoted with escapes.
    static func logfmtValue(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains { scalar in
            scalar == " " || scalar == "=" || scalar == "\"" || scalar.value < 0x20 || scalar == "\\"
        }
        return needsQuotes ? JSONString.quoted(value) : value
    }
}

/// Formats log timestamps without allocating a DateFormatter per line.
enum LogTime {
    static func rfc3339(milliseconds: Int64) -> String {
        var seconds = time_t(milliseconds / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
            parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec, Int(milliseconds % 1000)
        )
    }
}
