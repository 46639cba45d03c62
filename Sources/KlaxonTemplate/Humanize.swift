/// Prometheus's `humanize*` template functions, formatted exactly as Prometheus 2.42 formats them.
enum Humanize {
    /// `humanize`: SI prefixes, 4 significant digits (`1234567` → `1.235M`, `0.001234` → `1.234m`).
    static func humanize(_ value: Double) -> String {
        if value == 0 || value.isNaN || value.isInfinite { return GoFloatFormat.general(value, precision: 4) }
        var scaled = value
        var prefix = ""
        if abs(scaled) >= 1 {
            for unit in ["k", "M", "G", "T", "P", "E", "Z", "Y"] {
                if abs(scaled) < 1000 { break }
                prefix = unit
                scaled /= 1000
            }
        } else {
            for unit in ["m", "u", "n", "p", "f", "a", "z", "y"] {
                if abs(scaled) >= 1 { break }
                prefix = unit
                scaled *= 1000
            }
        }
        return GoFloatFormat.general(scaled, precision: 4) + prefix
    }

    /// `humanize1024`: binary prefixes (`ki`, `Mi`, …) for values above 1 in magnitude.
    static func humanize1024(_ value: Double) -> String {
        if abs(value) <= 1 || value.isNaN || value.isInfinite { return GoFloatFormat.general(value, precision: 4) }
        var scaled = value
        var prefix = ""
        for unit in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] {
            if abs(scaled) < 1024 { break }
            prefix = unit
            scaled /= 1024
        }
        return GoFloatFormat.general(scaled, precision: 4) + prefix
    }

    /// `humanizeDuration`: seconds as `1d 2h 3m 4s`, or `1.5s`, `250ms` below a second.
    static func duration(_ value: Double) -> String {
        if value.isNaN || value.isInfinite { return GoFloatFormat.general(value, precision: 4) }
        if value == 0 { return GoFloatFormat.general(value, precision: 4) + "s" }
        if abs(value) >= 1 {
            let sign = value < 0 ? "-" : ""
            let magnitude = abs(value)
            // Go converts with int64(v); beyond Int64 that is the minimum value on amd64.
            let whole = magnitude < 9.223372036854775e18 ? Int64(magnitude) : Int64.min
            let seconds = whole % 60
            let minutes = (whole / 60) % 60
            let hours = (whole / 60 / 60) % 24
            let days = whole / 60 / 60 / 24
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + GoFloatFormat.general(magnitude, precision: 4) + "s"
        }
        var scaled = value
        var prefix = ""
        for unit in ["m", "u", "n", "p", "f", "a", "z", "y"] {
            if abs(scaled) >= 1 { break }
            prefix = unit
            scaled *= 1000
        }
        return GoFloatFormat.general(scaled, precision: 4) + prefix + "s"
    }

    /// `humanizePercentage`: a ratio as a percentage with 4 significant digits (`0.1234` → `12.34%`).
    static func percentage(_ value: Double) -> String {
        GoFloatFormat.general(value * 100, precision: 4) + "%"
    }

    /// `humanizeTimestamp`: Unix seconds as Go prints a UTC `time.Time`, to the millisecond.
    /// Returns nil when the value does not fit in int64 nanoseconds (Prometheus reports an error).
    static func timestamp(_ value: Double) -> String? {
        if value.isNaN || value.isInfinite { return GoFloatFormat.general(value, precision: 4) }
        let nanoseconds = value * 1e9
        guard nanoseconds < 9.223372036854775807e18, nanoseconds >= -9.223372036854775808e18 else { return nil }
        // model.TimeFromUnixNano truncates to milliseconds toward zero.
        let milliseconds = Int64(nanoseconds) / 1_000_000
        return GoTime.format(unixMilliseconds: milliseconds)
    }
}
