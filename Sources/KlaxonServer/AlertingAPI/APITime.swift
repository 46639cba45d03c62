import KlaxonRuntime

/// Times as the alerting API writes and reads them: RFC 3339 in UTC with milliseconds
/// (`2026-01-01T00:00:00.000Z`), which Go's `time.Time` and Alertmanager's clients parse.
package enum APITime {
    /// 0001-01-01T00:00:00Z, Go's zero time: the earliest time written.
    package static let earliest: Int64 = -62_135_596_800_000
    /// 9999-12-31T23:59:59.999Z: the latest time written (RFC 3339 has four-digit years).
    package static let latest: Int64 = 253_402_300_799_999

    /// `milliseconds` (Unix) as RFC 3339 UTC with milliseconds, clamped to years 0001…9999.
    package static func format(_ milliseconds: Int64) -> String {
        let time = CivilTime(unixMilliseconds: min(max(milliseconds, earliest), latest))
        func two(_ value: Int) -> String { CivilTime.padded(value, 2) }
        return "\(CivilTime.padded(time.year, 4))-\(two(time.month))-\(two(time.day))T"
            + "\(two(time.hour)):\(two(time.minute)):\(two(time.second)).\(CivilTime.padded(time.millisecond, 3))Z"
    }

    /// Parses RFC 3339 (`2026-01-01T09:30:00Z`, `…00.123456789+02:00`) to Unix milliseconds;
    /// digits past the millisecond are dropped. Nil when the text is not RFC 3339.
    package static func parseRFC3339(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.count <= 40 else { return nil }
        func digits(_ start: Int, _ count: Int) -> Int64? {
            guard start + count <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[start..<start + count] {
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard let year = digits(0, 4), bytes[4] == UInt8(ascii: "-"), let month = digits(5, 2),
            bytes[7] == UInt8(ascii: "-"), let day = digits(8, 2),
            bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            let hour = digits(11, 2), bytes[13] == UInt8(ascii: ":"), let minute = digits(14, 2),
            bytes[16] == UInt8(ascii: ":"), let second = digits(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year), hour < 24, minute < 60,
            second < 60
        else { return nil }
        var index = 19
        var millisecond: Int64 = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            let count = index - start
            guard (1...9).contains(count) else { return nil }
            for position in 0..<3 {
                millisecond = millisecond * 10 + (position < count ? Int64(bytes[start + position] - 0x30) : 0)
            }
        }
        guard index < bytes.count else { return nil }
        var offsetMinutes: Int64 = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let offsetHour = digits(index + 1, 2), index + 3 < bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let offsetMinute = digits(index + 4, 2), offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetMinutes = (offsetHour * 60 + offsetMinute) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
            index += 6
        default:
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return seconds * 1000 + millisecond
    }

    /// Unix seconds (`1767225600`, `1767225600.5`) or RFC 3339, as Prometheus's API reads times.
    package static func parse(_ text: String) -> Int64? {
        if let seconds = Double(text), seconds.isFinite, abs(seconds) < 9e12 {
            return Int64((seconds * 1000).rounded())
        }
        return parseRFC3339(text)
    }

    private static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Howard Hinnant's days-from-civil: days since 1970-01-01 (years 0…9999 here, so no overflow).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
