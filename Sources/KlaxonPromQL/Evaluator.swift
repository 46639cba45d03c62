import KlaxonMetrics

/// Evaluates PromQL expressions at one instant over a series source, with Prometheus 2.42 semantics.
package struct Evaluator: Sendable {
    /// Where series come from.
    package let source: any SeriesQueryable
    /// How far back an instant selector looks for the latest sample, in milliseconds.
    package let lookbackDelta: Int64
    /// The running query's deadline and sample account; nil outside the budgeted evaluations.
    var budget: QueryBudget?
    /// The resolution of a subquery written without a step (`x[5m:]`), in milliseconds: Prometheus's global
    /// `evaluation_interval`, for rules and queries alike.
    package let subqueryStep: Int64
    /// The first and last evaluation time of the running query, which `@ start()` and `@ end()` stand
    /// for; both are the evaluation time of an instant query.
    var queryStart: Int64 = 0
    var queryEnd: Int64 = 0
    /// What the query's subqueries computed, shared by every step; nil when it has no subquery.
    var subqueryCache: SubqueryCache?

    /// Most samples one range selector may load when no budget is given, as Prometheus's default
    /// `query.max-samples`.
    static let maxSamples = QueryLimits.defaultMaxSamples

    /// Prometheus's default global `evaluation_interval`, the step of `x[5m:]` unless configured.
    package static let defaultSubqueryStep: Int64 = 60_000

    /// An evaluator reading `source`; `lookbackDelta` defaults to Prometheus's 5 minutes, `subqueryStep`
    /// (the global evaluation interval) to its 1 minute.
    package init(
        source: any SeriesQueryable, lookbackDelta: Int64 = 300_000, subqueryStep: Int64 = Evaluator.defaultSubqueryStep
    ) {
        self.source = source
        self.lookbackDelta = lookbackDelta
        self.subqueryStep = subqueryStep
    }

    /// Evaluates `expr` as an instant query at `time` (Unix milliseconds).
    package func evaluate(_ expr: Expr, at time: Int64) throws(PromQLError) -> QueryValue {
        var instant = self
        instant.queryStart = time
        instant.queryEnd = time
        if expr.containsSubquery { instant.subqueryCache = SubqueryCache() }
        return try instant.eval(expr, at: time)
    }

    /// Evaluates `expr` at `time` within `budget`: past its deadline the query stops with
    /// `QueryLimitError.timeout`, past its sample cap with `.tooManySamples` (in `PromQLError.limit`).
    package func evaluate(_ expr: Expr, at time: Int64, budget: QueryBudget) throws(PromQLError) -> QueryValue {
        var bounded = self
        bounded.budget = budget
        bounded.queryStart = time
        bounded.queryEnd = time
        if expr.containsSubquery { bounded.subqueryCache = SubqueryCache() }
        return try bounded.eval(expr, at: time)
    }

    // MARK: - Dispatch

    func eval(_ expr: Expr, at time: Int64) throws(PromQLError) -> QueryValue {
        try charge(steps: 1)
        switch expr {
        case .number(let value):
            return .scalar(value)
        case .string(let value):
            return .string(value)
        case .paren(let inner):
            return try eval(inner, at: time)
        case .vectorSelector(let selector):
            return .vector(try selectInstant(selector, at: time))
        case .matrixSelector(let selector, let range):
            return .matrix(try selectRange(selector, range: range, at: time))
        case .subquery(let subquery):
            return .matrix(try evalSubquery(subquery, at: time).series)
        case .negation(let inner):
            switch try eval(inner, at: time) {
            case .scalar(let value):
                return .scalar(-value)
            case .vector(var elements):
                let names = NameTracker(elements)
                for index in elements.indices {
                    elements[index].labels = elements[index].labels.withoutName
                    elements[index].value = -elements[index].value
                }
                try names.checkUniqueAfterDrop(elements)
                return .vector(elements)
            case let other:
                throw PromQLError("unary minus cannot apply to a \(other.type.rawValue)")
            }
        case .binary(let binary):
            return try evalBinary(binary, at: time)
        case .aggregate(let aggregate):
            return .vector(try evalAggregate(aggregate, at: time))
        case .call(let call):
            return try evalCall(call, at: time)
        }
    }

    func evalVector(_ expr: Expr, at time: Int64) throws(PromQLError) -> [VectorElement] {
        guard case .vector(let elements) = try eval(expr, at: time) else {
            throw PromQLError("expected an instant vector from \(expr)")
        }
        return elements
    }

    func evalScalar(_ expr: Expr, at time: Int64) throws(PromQLError) -> Double {
        guard case .scalar(let value) = try eval(expr, at: time) else {
            throw PromQLError("expected a scalar from \(expr)")
        }
        return value
    }

    func evalString(_ expr: Expr, at time: Int64) throws(PromQLError) -> String {
        guard case .string(let value) = try eval(expr, at: time) else {
            throw PromQLError("expected a string from \(expr)")
        }
        return value
    }

    // MARK: - Selectors

    /// The newest sample of each series within the lookback window; a stale marker ends the series.
    func selectInstant(_ selector: VectorSelector, at time: Int64) throws(PromQLError) -> [VectorElement] {
        let end = readTime(selector, at: time)
        let found = try latest(selector.matchers, start: end &- lookbackDelta, end: end)
        var elements: [VectorElement] = []
        elements.reserveCapacity(found.count)
        for (labels, sample) in found where !sample.isStaleMarker {
            elements.append(VectorElement(labels: labels, value: sample.value))
        }
        return elements
    }

    /// The samples of each series in the closed interval `[t - offset - range, t - offset]` (`t` the `@` time
    /// when there is one), stale markers removed.
    func selectRange(_ selector: VectorSelector, range: Int64, at time: Int64) throws(PromQLError) -> [SeriesSamples] {
        let end = readTime(selector, at: time)
        var series: [SeriesSamples]
        if let budget {
            do {
                series = try source.select(selector.matchers, start: end &- range, end: end, budget: budget)
            } catch {
                throw PromQLError(error)
            }
        } else {
            series = source.select(selector.matchers, start: end &- range, end: end)
        }
        for index in series.indices where series[index].samples.contains(where: \.isStaleMarker) {
            series[index].samples.removeAll(where: \.isStaleMarker)
        }
        series.removeAll { $0.samples.isEmpty }
        let loaded = series.reduce(0) { $0 &+ $1.samples.count }
        // With a budget the source has charged and capped the samples already.
        guard budget != nil || loaded <= Evaluator.maxSamples else {
            throw PromQLError(
                "query processing would load too many samples into memory: \(selector) selects \(loaded) samples; at most \(Evaluator.maxSamples) are allowed"
            )
        }
        return series
    }

    /// The newest sample of each matching series in `[start, end]`, charged to the budget when there is one.
    func latest(_ matchers: [LabelMatcher], start: Int64, end: Int64) throws(PromQLError) -> [(
        labels: Labels, sample: Sample
    )] {
        guard let budget else { return source.selectLatest(matchers, start: start, end: end) }
        do {
            return try source.selectLatest(matchers, start: start, end: end, budget: budget)
        } catch {
            throw PromQLError(error)
        }
    }

    /// Counts `steps` units of evaluation work against the budget (a clock reading every few thousand).
    @inline(__always)
    func charge(steps: Int) throws(PromQLError) {
        guard let budget else { return }
        do {
            try budget.step(steps)
        } catch {
            throw PromQLError(error)
        }
    }
}

/// Remembers whether a vector held more than one metric name, so dropping names only costs a
/// uniqueness check when it could create duplicates.
struct NameTracker {
    private let mixed: Bool

    init(_ elements: [VectorElement]) {
        let first = elements.first?.labels.metricName
        mixed = elements.contains { $0.labels.metricName != first }
    }

    func checkUniqueAfterDrop(_ elements: [VectorElement]) throws(PromQLError) {
        if mixed { try Evaluator.checkUnique(elements) }
    }
}

extension Evaluator {
    /// Prometheus refuses a result holding two elements with the same labels.
    static func checkUnique(_ elements: [VectorElement]) throws(PromQLError) {
        guard elements.count > 1 else { return }
        var seen = Set<Labels>(minimumCapacity: elements.count)
        for element in elements where !seen.insert(element.labels).inserted {
            throw PromQLError("vector cannot contain metrics with the same labelset")
        }
    }
}
