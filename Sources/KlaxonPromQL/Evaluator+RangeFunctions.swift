import KlaxonMetrics

// MARK: - Functions over range vectors

extension Evaluator {
    func evalRangeFunction(_ call: FunctionCall, at time: Int64) throws(PromQLError) -> [VectorElement] {
        let matrixIndex = call.function == .quantileOverTime ? 1 : 0
        var inner = call.args[matrixIndex]
        while case .paren(let next) = inner { inner = next }
        var scalarArg = 0.0
        if call.function == .quantileOverTime { scalarArg = try evalScalar(call.args[0], at: time) }
        if call.function == .predictLinear { scalarArg = try evalScalar(call.args[1], at: time) }
        let series: [SeriesSamples]
        let window: RangeWindow
        switch inner {
        case .matrixSelector(let selector, let range):
            series = try selectRange(selector, range: range, at: time)
            let end = readTime(selector, at: time)
            window = RangeWindow(start: end &- range, end: end, evalTime: time)
        case .subquery(let subquery):
            (series, window) = try evalSubquery(subquery, at: time)
        default:
            throw PromQLError("expected a range vector in call to function \"\(call.function.rawValue)\"")
        }
        if call.function == .absentOverTime {
            return series.isEmpty ? [VectorElement(labels: Evaluator.absentLabels(inner), value: 1)] : []
        }
        if call.function == .holtWinters {
            return try holtWinters(series, smoothing: call.args[1], trend: call.args[2], at: time)
        }
        let keepName = call.function == .lastOverTime
        var out: [VectorElement] = []
        out.reserveCapacity(series.count)
        var mixedNames = false
        let firstName = series.first?.labels.metricName
        for entry in series {
            guard let value = Evaluator.rangeValue(call.function, entry.samples, window, scalarArg) else { continue }
            if entry.labels.metricName != firstName { mixedNames = true }
            out.append(VectorElement(labels: keepName ? entry.labels : entry.labels.withoutName, value: value))
        }
        if mixedNames && !keepName { try Evaluator.checkUnique(out) }
        return out
    }

    /// The bounds of the selected range, for extrapolation.
    struct RangeWindow {
        var start: Int64
        var end: Int64
        var evalTime: Int64
    }

    /// One series' result, or nil when the function yields nothing for it (e.g. `rate` over one sample).
    static func rangeValue(_ function: Function, _ samples: [Sample], _ window: RangeWindow, _ arg: Double) -> Double? {
        guard let first = samples.first, let last = samples.last else { return nil }
        switch function {
        case .rate: return extrapolatedRate(samples, window, isCounter: true, isRate: true)
        case .increase: return extrapolatedRate(samples, window, isCounter: true, isRate: false)
        case .delta: return extrapolatedRate(samples, window, isCounter: false, isRate: false)
        case .irate, .idelta:
            guard samples.count >= 2 else { return nil }
            let previous = samples[samples.count - 2]
            let isRate = function == .irate
            let result = isRate && last.value < previous.value ? last.value : last.value - previous.value
            let interval = last.timestamp - previous.timestamp
            guard interval != 0 else { return nil }
            return isRate ? result / (Double(interval) / 1000) : result
        case .deriv:
            guard samples.count >= 2 else { return nil }
            return linearRegression(samples, interceptTime: first.timestamp).slope
        case .predictLinear:
            guard samples.count >= 2 else { return nil }
            let fit = linearRegression(samples, interceptTime: window.evalTime)
            return fit.intercept + fit.slope * arg
        case .changes, .resets:
            var count = 0
            var previous = first.value
            for sample in samples.dropFirst() {
                let current = sample.value
                if function == .changes {
                    if current != previous && !(current.isNaN && previous.isNaN) { count += 1 }
                } else if current < previous {
                    count += 1
                }
                previous = current
            }
            return Double(count)
        case .presentOverTime: return 1
        case .countOverTime: return Double(samples.count)
        case .lastOverTime: return last.value
        case .sumOverTime:
            var sum = KahanSum()
            for sample in samples { sum.add(sample.value) }
            return sum.value
        case .avgOverTime: return averageOverTime(samples)
        case .minOverTime, .maxOverTime:
            var result = first.value
            for sample in samples {
                let better = function == .maxOverTime ? sample.value > result : sample.value < result
                if better || result.isNaN { result = sample.value }
            }
            return result
        case .quantileOverTime: return quantile(arg, samples.map(\.value))
        case .stddevOverTime, .stdvarOverTime:
            var count = 0.0
            var mean = KahanSum()
            var aux = KahanSum()
            for sample in samples {
                count += 1
                let delta = sample.value - mean.plainTotal
                mean.add(delta / count)
                aux.add(delta * (sample.value - mean.plainTotal))
            }
            let variance = aux.plainTotal / count
            return function == .stddevOverTime ? variance.squareRoot() : variance
        default: return nil
        }
    }

    /// Prometheus 2.42's incremental mean, its increments added with compensation (Kahan–Babuška).
    private static func averageOverTime(_ samples: [Sample]) -> Double {
        var mean = KahanSum()
        var count = 0.0
        for sample in samples {
            count += 1
            let current = mean.runningSum
            if current.isInfinite {
                if sample.value.isInfinite && (current > 0) == (sample.value > 0) { continue }
                if !sample.value.isInfinite && !sample.value.isNaN { continue }
            }
            mean.add(sample.value / count - current / count)
        }
        return mean.value
    }

    /// Prometheus's `extrapolatedRate`: the change over the samples, extrapolated towards the range
    /// boundaries when the samples come close to them, with counter resets added back.
    static func extrapolatedRate(_ samples: [Sample], _ window: RangeWindow, isCounter: Bool, isRate: Bool) -> Double? {
        guard samples.count >= 2, let first = samples.first, let last = samples.last else { return nil }
        var result = last.value - first.value
        if isCounter {
            var previous = first.value
            for sample in samples.dropFirst() {
                if sample.value < previous { result += previous }
                previous = sample.value
            }
        }
        var durationToStart = Double(first.timestamp - window.start) / 1000
        let durationToEnd = Double(window.end - last.timestamp) / 1000
        let sampledInterval = Double(last.timestamp - first.timestamp) / 1000
        let averageInterval = sampledInterval / Double(samples.count - 1)
        if isCounter && result > 0 && first.value >= 0 {
            // A counter cannot go below zero: do not extrapolate further back than where it would reach zero.
            let durationToZero = sampledInterval * (first.value / result)
            if durationToZero < durationToStart { durationToStart = durationToZero }
        }
        let threshold = averageInterval * 1.1
        var extrapolateTo = sampledInterval
        extrapolateTo += durationToStart < threshold ? durationToStart : averageInterval / 2
        extrapolateTo += durationToEnd < threshold ? durationToEnd : averageInterval / 2
        var factor = extrapolateTo / sampledInterval
        if isRate { factor /= Double(window.end - window.start) / 1000 }
        return result * factor
    }

    /// Least-squares fit of value over time (seconds from `interceptTime`).
    static func linearRegression(_ samples: [Sample], interceptTime: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0
        var sumX = KahanSum()
        var sumY = KahanSum()
        var sumXY = KahanSum()
        var sumX2 = KahanSum()
        let initial = samples.first?.value ?? 0
        var constant = true
        for sample in samples {
            if sample.value != initial { constant = false }
            n += 1
            let x = Double(sample.timestamp - interceptTime) / 1000
            sumX.add(x)
            sumY.add(sample.value)
            sumXY.add(x * sample.value)
            sumX2.add(x * x)
        }
        if constant {
            return initial.isInfinite ? (.nan, .nan) : (0, initial)
        }
        // Prometheus adds each compensation back without checking for an infinite sum.
        let (x, y, xy, x2) = (sumX.plainTotal, sumY.plainTotal, sumXY.plainTotal, sumX2.plainTotal)
        let covXY = xy - x * y / n
        let varX = x2 - x * x / n
        let slope = covXY / varX
        return (slope, y / n - slope * x / n)
    }
}

/// Kahan–Babuška compensated summation, as Prometheus uses in its `_over_time` functions.
struct KahanSum {
    private var sum = 0.0
    private var compensation = 0.0

    /// The compensated total; an infinite running sum is returned as it is (its compensation is NaN).
    var value: Double {
        sum.isInfinite ? sum : sum + compensation
    }

    /// The running sum without its compensation.
    var runningSum: Double { sum }

    /// `sum + c` with no infinity check, as Prometheus writes `mean + cMean` inside its loops.
    var plainTotal: Double { sum + compensation }

    mutating func add(_ input: Double) {
        let total = sum + input
        if Swift.abs(sum) >= Swift.abs(input) {
            compensation += (sum - total) + input
        } else {
            compensation += (input - total) + sum
        }
        sum = total
    }
}
