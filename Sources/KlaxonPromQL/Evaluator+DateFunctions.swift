import KlaxonMetrics

// MARK: - minute, hour, day_of_week, day_of_month, day_of_year, days_in_month, month, year

extension Evaluator {
    /// A date function of each value (Unix seconds, in UTC), or of the evaluation time with no argument
    /// (`vector(time())`, without labels).
    func evalDateFunction(_ call: FunctionCall, at time: Int64) throws(PromQLError) -> [VectorElement] {
        let field = GoCalendar.field(call.function)
        guard let arg = call.args.first else {
            return [VectorElement(labels: .empty, value: field(GoCalendar(unixSeconds: time / 1000)))]
        }
        return try mapValues(arg, at: time) { field(GoCalendar(unixSeconds: GoCalendar.goInt64($0))) }
    }
}

/// The calendar fields of a UTC time as Go 1.19's `time` package computes them (`absDate`), with its
/// wrapping arithmetic, so a value far outside any calendar gives Go's answer rather than a trap.
struct GoCalendar {
    /// Seconds from Go's absolute zero year (-292277022399) to 1970, so that `abs` is unsigned.
    private static let unixToAbsolute: Int64 = 9_223_372_028_715_321_600
    private static let secondsPerDay: UInt64 = 86_400
    private static let absoluteZeroYear: Int64 = -292_277_022_399
    private static let daysBefore: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365]

    /// Seconds since Go's absolute zero.
    private let abs: UInt64

    init(unixSeconds: Int64) {
        abs = UInt64(bitPattern: unixSeconds &+ Self.unixToAbsolute)
    }

    /// Go's `int64(float64)` on amd64: truncation, with NaN and out-of-range values giving Int64.min.
    static func goInt64(_ value: Double) -> Int64 {
        guard value >= -9.223372036854775808e18, value < 9.223372036854775808e18 else { return .min }
        return Int64(value)
    }

    /// The PromQL function's field, as a float.
    static func field(_ function: Function) -> (GoCalendar) -> Double {
        switch function {
        case .minute: { Double(($0.abs % 3600) / 60) }
        case .hour: { Double(($0.abs % secondsPerDay) / 3600) }
        // 1 January of the absolute zero year was a Monday (Go's `absWeekday`).
        case .dayOfWeek: { Double((($0.abs &+ secondsPerDay) % (7 * secondsPerDay)) / secondsPerDay) }
        case .dayOfMonth: { Double($0.date.day) }
        case .dayOfYear: { Double($0.date.yearDay + 1) }
        case .month: { Double($0.date.month) }
        case .year: { Double($0.date.year) }
        default: { Double(GoCalendar.daysIn(month: $0.date.month, year: $0.date.year)) }
        }
    }

    /// Go's `absDate`: year, month (1…12), day of month (1…31) and day of year (0-based).
    private var date: (year: Int64, month: Int64, day: Int64, yearDay: Int64) {
        var d = abs / Self.secondsPerDay
        let daysPer400Years: UInt64 = 365 * 400 + 97
        let daysPer100Years: UInt64 = 365 * 100 + 24
        let daysPer4Years: UInt64 = 365 * 4 + 1
        var n = d / daysPer400Years
        var y = 400 &* n
        d -= daysPer400Years &* n
        n = d / daysPer100Years
        n -= n >> 2
        y &+= 100 &* n
        d -= daysPer100Years &* n
        n = d / daysPer4Years
        y &+= 4 &* n
        d -= daysPer4Years &* n
        n = d / 365
        n -= n >> 2
        y &+= n
        d -= 365 &* n
        let year = Int64(bitPattern: y) &+ Self.absoluteZeroYear
        let yearDay = Int64(d)
        var day = yearDay
        if Self.isLeap(year) {
            if day > 31 + 29 - 1 {
                day -= 1
            } else if day == 31 + 29 - 1 {
                return (year, 2, 29, yearDay)
            }
        }
        var month = day / 31
        let end = Self.daysBefore[Int(month) + 1]
        let begin: Int64
        if day >= end {
            month += 1
            begin = end
        } else {
            begin = Self.daysBefore[Int(month)]
        }
        return (year, month + 1, day - begin + 1, yearDay)
    }

    private static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// Days in `month` of `year`: what Prometheus's `32 - time.Date(y, m, 32).Day()` gives.
    static func daysIn(month: Int64, year: Int64) -> Int64 {
        if month == 2 { return isLeap(year) ? 29 : 28 }
        let index = Int(max(1, min(12, month)))
        return daysBefore[index] - daysBefore[index - 1]
    }
}
