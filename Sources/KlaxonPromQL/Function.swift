/// The PromQL functions Klaxon evaluates, with their argument types as Prometheus checks them.
package enum Function: String, Sendable, CaseIterable {
    case rate, irate, increase, delta, idelta, deriv
    case predictLinear = "predict_linear"
    case changes, resets
    case abs, ceil, floor, round, clamp
    case clampMin = "clamp_min"
    case clampMax = "clamp_max"
    case sqrt, exp, ln, log2, log10, sgn
    case scalar, vector, time, timestamp, absent
    case absentOverTime = "absent_over_time"
    case presentOverTime = "present_over_time"
    case avgOverTime = "avg_over_time"
    case minOverTime = "min_over_time"
    case maxOverTime = "max_over_time"
    case sumOverTime = "sum_over_time"
    case countOverTime = "count_over_time"
    case lastOverTime = "last_over_time"
    case quantileOverTime = "quantile_over_time"
    case stddevOverTime = "stddev_over_time"
    case stdvarOverTime = "stdvar_over_time"
    case histogramQuantile = "histogram_quantile"
    case labelReplace = "label_replace"
    case labelJoin = "label_join"
    case sort
    case sortDesc = "sort_desc"
    case holtWinters = "holt_winters"
    case dayOfMonth = "day_of_month"
    case dayOfWeek = "day_of_week"
    case dayOfYear = "day_of_year"
    case daysInMonth = "days_in_month"
    case hour, minute, month, year
    case sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh
    case pi, deg, rad
    case histogramCount = "histogram_count"
    case histogramSum = "histogram_sum"
    case histogramFraction = "histogram_fraction"

    /// Argument types in order; `optionalCount` trailing ones may be left out, `variadic` repeats the last.
    var signature: (args: [ValueType], optionalCount: Int, variadic: Bool) {
        switch self {
        case .rate, .irate, .increase, .delta, .idelta, .deriv, .changes, .resets, .absentOverTime,
            .presentOverTime, .avgOverTime, .minOverTime, .maxOverTime, .sumOverTime, .countOverTime,
            .lastOverTime, .stddevOverTime, .stdvarOverTime:
            ([.matrix], 0, false)
        case .predictLinear: ([.matrix, .scalar], 0, false)
        case .quantileOverTime: ([.scalar, .matrix], 0, false)
        case .abs, .ceil, .floor, .sqrt, .exp, .ln, .log2, .log10, .sgn, .scalar, .absent, .sort, .sortDesc:
            ([.vector], 0, false)
        case .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh, .tanh, .asinh, .acosh, .atanh, .deg, .rad:
            ([.vector], 0, false)
        case .dayOfMonth, .dayOfWeek, .dayOfYear, .daysInMonth, .hour, .minute, .month, .year:
            ([.vector], 1, false)
        case .holtWinters: ([.matrix, .scalar, .scalar], 0, false)
        case .pi: ([], 0, false)
        case .histogramCount, .histogramSum: ([.vector], 0, false)
        case .histogramFraction: ([.scalar, .scalar, .vector], 0, false)
        case .timestamp: ([.vector], 0, false)
        case .round: ([.vector, .scalar], 1, false)
        case .clamp: ([.vector, .scalar, .scalar], 0, false)
        case .clampMin, .clampMax: ([.vector, .scalar], 0, false)
        case .vector: ([.scalar], 0, false)
        case .time: ([], 0, false)
        case .histogramQuantile: ([.scalar, .vector], 0, false)
        case .labelReplace: ([.vector, .string, .string, .string, .string], 0, false)
        case .labelJoin: ([.vector, .string, .string, .string], 1, true)
        }
    }

    /// The type the function returns.
    var returnType: ValueType {
        switch self {
        case .scalar, .time, .pi: .scalar
        default: .vector
        }
    }
}
