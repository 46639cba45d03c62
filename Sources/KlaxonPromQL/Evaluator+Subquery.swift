import KlaxonMetrics
import Synchronization

// MARK: - Subqueries and the @ modifier

extension Evaluator {
    /// The time an `@` modifier stands for: its timestamp, or the query's start or end.
    func time(of at: AtModifier) -> Int64 {
        switch at {
        case .timestamp(let milliseconds): milliseconds
        case .start: queryStart
        case .end: queryEnd
        }
    }

    /// The newest time a selector reads when evaluated at `time`: its `@` time (or `time`) minus its offset.
    func readTime(_ selector: VectorSelector, at time: Int64) -> Int64 {
        (selector.at.map(self.time(of:)) ?? time) &- selector.offset
    }

    /// Evaluates the inner expression of a subquery at every multiple of its step (in absolute time,
    /// so the points do not move with the evaluation time) in `[t - offset - range, t - offset]`, where
    /// `t` is the `@` time or the evaluation time. Returns each series' points, oldest first, and the
    /// window they were taken from, which range functions extrapolate to as for a range selector.
    func evalSubquery(_ subquery: SubqueryExpr, at time: Int64) throws(PromQLError) -> (
        series: [SeriesSamples], window: RangeWindow
    ) {
        let end = (subquery.at.map(self.time(of:)) ?? time) &- subquery.offset
        let start = end &- subquery.range
        let step = subquery.step ?? subqueryStep
        guard step > 0 else {
            throw PromQLError("the step of a subquery must be positive, not \(step) ms (evaluation interval)")
        }
        // Prometheus 2.42: the first multiple of the step at or after the start (Go's division truncates,
        // as Swift's does, so a start before 1970 needs no step up).
        var first = (start / step) &* step
        if first < start { first &+= step }
        let window = RangeWindow(start: start, end: end, evalTime: time)
        guard first <= end else { return ([], window) }
        let steps = (end &- first) / step &+ 1
        if budget == nil && (steps < 0 || steps > Int64(Evaluator.maxSamples)) {
            throw PromQLError(
                "query processing would load too many samples into memory: the subquery \(Expr.subquery(subquery)) has \(steps) steps; at most \(Evaluator.maxSamples) are allowed"
            )
        }
        // The inner expression at a time gives the same answer whichever step of the query asks, so the
        // steps of a range query (and of an enclosing subquery) share what was computed once.
        let key = subqueryCache == nil ? "" : subquery.expr.description
        var accumulator = RangeAccumulator()
        var points = 0
        var at = first
        while at <= end {
            let elements: [VectorElement]
            if let cached = subqueryCache?.result(key, at: at) {
                elements = cached
            } else {
                guard case .vector(let computed) = try eval(subquery.expr, at: at) else {
                    throw PromQLError("a subquery step did not return an instant vector")
                }
                points &+= computed.count
                try chargePoints(computed.count)
                subqueryCache?.store(key, at: at, computed)
                elements = computed
            }
            for element in elements {
                accumulator.append(element.labels, Sample(timestamp: at, value: element.value))
            }
            accumulator.endStep()
            let (next, overflow) = at.addingReportingOverflow(step)
            if overflow { break }
            at = next
        }
        // Later steps start later: what lies before this window will not be asked for again.
        subqueryCache?.forget(key, before: first)
        if budget == nil && points > Evaluator.maxSamples {
            throw PromQLError(QueryLimitError.tooManySamples)
        }
        return (accumulator.sortedSeries(), window)
    }

    /// A subquery's points stay in memory while the function over them runs, so they count against
    /// `max_samples` as Prometheus counts them.
    private func chargePoints(_ count: Int) throws(PromQLError) {
        guard let budget else { return }
        do {
            try budget.charge(samples: count)
        } catch {
            throw PromQLError(error)
        }
    }
}

/// The inner results of a query's subqueries, by inner expression and evaluation time, for the
/// duration of one query (its evaluator copies share the one instance).
final class SubqueryCache: Sendable {
    private let entries = Mutex<[String: [Int64: [VectorElement]]]>([:])

    func result(_ key: String, at time: Int64) -> [VectorElement]? {
        entries.withLock { $0[key]?[time] }
    }

    func store(_ key: String, at time: Int64, _ elements: [VectorElement]) {
        entries.withLock { $0[key, default: [:]][time] = elements }
    }

    /// Drops the results of `key` before `time`.
    func forget(_ key: String, before time: Int64) {
        entries.withLock { entries in
            guard let known = entries[key], known.keys.contains(where: { $0 < time }) else { return }
            entries[key] = known.filter { $0.key >= time }
        }
    }
}

extension Expr {
    /// True when a subquery appears anywhere in the expression.
    var containsSubquery: Bool {
        switch self {
        case .number, .string, .vectorSelector, .matrixSelector: false
        case .subquery: true
        case .negation(let inner), .paren(let inner): inner.containsSubquery
        case .binary(let binary): binary.lhs.containsSubquery || binary.rhs.containsSubquery
        case .aggregate(let aggregate):
            (aggregate.parameter?.containsSubquery ?? false) || aggregate.body.containsSubquery
        case .call(let call): call.args.contains { $0.containsSubquery }
        }
    }
}
