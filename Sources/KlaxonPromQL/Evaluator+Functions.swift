import Foundation
import KlaxonMetrics

// MARK: - Functions over instant vectors and scalars

extension Evaluator {
    func evalCall(_ call: FunctionCall, at time: Int64) throws(PromQLError) -> QueryValue {
        let args = call.args
        // The parser checks arity; an expression built by hand gets an error rather than a trap.
        let signature = call.function.signature
        guard args.count >= signature.args.count - signature.optionalCount else {
            throw PromQLError(
                "function \"\(call.function.rawValue)\" needs \(signature.args.count) argument(s), got \(args.count)")
        }
        switch call.function {
        case .time:
            return .scalar(Double(time) / 1000)
        case .vector:
            return .vector([VectorElement(labels: .empty, value: try evalScalar(args[0], at: time))])
        case .scalar:
            let input = try evalVector(args[0], at: time)
            return .scalar(input.count == 1 ? input[0].value : .nan)
        case .abs, .ceil, .floor, .sqrt, .exp, .ln, .log2, .log10, .sgn:
            return .vector(try mapValues(args[0], at: time, Evaluator.math(call.function)))
        case .round:
            let nearest = args.count > 1 ? try evalScalar(args[1], at: time) : 1
            let inverse = 1 / nearest
            return .vector(try mapValues(args[0], at: time) { (($0 * inverse) + 0.5).rounded(.down) / inverse })
        case .clamp:
            let low = try evalScalar(args[1], at: time)
            let high = try evalScalar(args[2], at: time)
            if high < low { return .vector([]) }
            return .vector(try mapValues(args[0], at: time) { goMax(low, goMin(high, $0)) })
        case .clampMin:
            let low = try evalScalar(args[1], at: time)
            return .vector(try mapValues(args[0], at: time) { goMax(low, $0) })
        case .clampMax:
            let high = try evalScalar(args[1], at: time)
            return .vector(try mapValues(args[0], at: time) { goMin(high, $0) })
        case .timestamp:
            return .vector(try timestamps(args[0], at: time))
        case .absent:
            if !(try evalVector(args[0], at: time)).isEmpty { return .vector([]) }
            return .vector([VectorElement(labels: Evaluator.absentLabels(args[0]), value: 1)])
        case .sort, .sortDesc:
            return .vector(Evaluator.sorted(try evalVector(args[0], at: time), descending: call.function == .sortDesc))
        case .histogramQuantile:
            let q = try evalScalar(args[0], at: time)
            return .vector(try histogramQuantile(q, try evalVector(args[1], at: time)))
        case .labelReplace:
            return .vector(try labelReplace(args, at: time))
        case .labelJoin:
            return .vector(try labelJoin(args, at: time))
        case .sin, .cos, .tan, .asin, .acos, .atan, .sinh, .cosh, .tanh, .asinh, .acosh, .atanh, .deg, .rad:
            return .vector(try mapValues(args[0], at: time, Evaluator.trigonometry(call.function)))
        case .pi:
            return .scalar(Double.pi)
        case .dayOfMonth, .dayOfWeek, .dayOfYear, .daysInMonth, .hour, .minute, .month, .year:
            return .vector(try evalDateFunction(call, at: time))
        case .histogramCount, .histogramSum, .histogramFraction:
            // These read native histograms only; every series Klaxon holds is a float series, which they skip.
            for arg in args { _ = try eval(arg, at: time) }
            return .vector([])
        default:
            return .vector(try evalRangeFunction(call, at: time))
        }
    }

    /// Applies `transform` to every value, dropping the metric name as Prometheus's math functions do.
    func mapValues(_ arg: Expr, at time: Int64, _ transform: (Double) -> Double) throws(PromQLError)
        -> [VectorElement]
    {
        var elements = try evalVector(arg, at: time)
        let names = NameTracker(elements)
        for index in elements.indices {
            elements[index].labels = elements[index].labels.withoutName
            elements[index].value = transform(elements[index].value)
        }
        try names.checkUniqueAfterDrop(elements)
        return elements
    }

    private static func math(_ function: Function) -> (Double) -> Double {
        switch function {
        case .abs: { Swift.abs($0) }
        case .ceil: { $0.rounded(.up) }
        case .floor: { $0.rounded(.down) }
        case .sqrt: { $0.squareRoot() }
        case .exp: { GoMath.exp($0) }
        case .ln: { GoMath.log($0) }
        case .log2: { GoMath.log2($0) }
        case .log10: { GoMath.log10($0) }
        default: { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 }
        }
    }

    /// `timestamp(selector)` reports each sample's own time; any other argument reports the evaluation time.
    private func timestamps(_ arg: Expr, at time: Int64) throws(PromQLError) -> [VectorElement] {
        var inner = arg
        while case .paren(let next) = inner { inner = next }
        guard case .vectorSelector(let selector) = inner else {
            return try mapValues(arg, at: time) { _ in Double(time) / 1000 }
        }
        let end = readTime(selector, at: time)
        let found = try latest(selector.matchers, start: end &- lookbackDelta, end: end)
        let elements = found.filter { !$0.sample.isStaleMarker }.map {
            VectorElement(labels: $0.labels.withoutName, value: Double($0.sample.timestamp) / 1000)
        }
        try NameTracker(found.map { VectorElement(labels: $0.labels, value: 0) }).checkUniqueAfterDrop(elements)
        return elements
    }

    /// The labels `absent` reports: the equality matchers of a selector, minus any label matched twice.
    static func absentLabels(_ arg: Expr) -> Labels {
        var inner = arg
        while case .paren(let next) = inner { inner = next }
        let selector: VectorSelector
        switch inner {
        case .vectorSelector(let found), .matrixSelector(let found, _): selector = found
        default: return .empty
        }
        var values: [String: String] = [:]
        var repeated: Set<String> = []
        for matcher in selector.matchers where matcher.name != Labels.metricNameLabel {
            if values[matcher.name] != nil || repeated.contains(matcher.name) {
                repeated.insert(matcher.name)
                values[matcher.name] = nil
            } else if matcher.type == .equal {
                values[matcher.name] = matcher.value
            } else {
                repeated.insert(matcher.name)
            }
        }
        return Labels(values)
    }

    /// Prometheus 2.42's `sort` and `sort_desc`: Go's unstable `sort.Sort` over `sort.Reverse` of its value
    /// heaps, so NaN goes last and equal values end in the order Go's steps leave them.
    static func sorted(_ elements: [VectorElement], descending: Bool) -> [VectorElement] {
        var sorted = elements
        if descending {
            GoSort.sort(&sorted) { a, b in b.value.isNaN || b.value < a.value }
        } else {
            GoSort.sort(&sorted) { a, b in b.value.isNaN || b.value > a.value }
        }
        return sorted
    }
}

/// Go's `math.Max`: +Inf wins over anything, then NaN over any number; +0 is larger than -0.
func goMax(_ a: Double, _ b: Double) -> Double {
    if a == .infinity || b == .infinity { return .infinity }
    if a.isNaN || b.isNaN { return .nan }
    if a == 0 && a == b { return a.sign == .minus ? b : a }
    return a > b ? a : b
}

/// Go's `math.Min`: -Inf wins over anything, then NaN over any number; -0 is smaller than +0.
func goMin(_ a: Double, _ b: Double) -> Double {
    if a == -.infinity || b == -.infinity { return -.infinity }
    if a.isNaN || b.isNaN { return .nan }
    if a == 0 && a == b { return a.sign == .minus ? a : b }
    return a < b ? a : b
}
