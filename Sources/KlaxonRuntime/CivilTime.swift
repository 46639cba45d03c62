/// A UTC instant in calendar fields (proleptic Gregorian calendar), from Unix milliseconds.
///
/// The one conversion behind the HTTP `Date` header, log timestamps and Go's time text in templates.
package struct CivilTime: Sendable, Equatable {
    package let year: Int64
    /// 1 (January) to 12.
    package let month: Int
    /// 1 to 31.
    package let day: Int
    package let hour: Int
    package let minute: Int
    package let second: Int
    package let millisecond: Int
    /// 0 (Sunday) to 6 (Saturday).
    package let weekday: Int

    package init(unixMilliseconds: Int64) {
        let seconds = Self.floorDivide(unixMilliseconds, 1000)
        let days = Self.floorDivide(seconds, 86_400)
        let secondOfDay = Int(seconds - days * 86_400)
        millisecond = Int(unixMilliseconds - seconds * 1000)
        hour = secondOfDay / 3600
        minute = secondOfDay / 60 % 60
        second = secondOfDay % 60
        // 1970-01-01 was a Thursday.
        weekday = Int((days % 7 + 7 + 4) % 7)
        // Howard Hinnant's days-to-civil algorithm.
        let shifted = days + 719_468
        let era = Self.floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        day = Int(dayOfYear - (153 * monthIndex + 2) / 5 + 1)
        month = Int(monthIndex < 10 ? monthIndex + 3 : monthIndex - 9)
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }

    /// `value` zero-padded to at least `width` digits (a minus sign goes in front).
    package static func padded(_ value: some BinaryInteger, _ width: Int) -> String {
        let digits = String(value.magnitude)
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }
}
