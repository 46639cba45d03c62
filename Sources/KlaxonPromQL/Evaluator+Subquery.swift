import KlaxonMetrics

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
        var accumulator = RangeAccumulator()
        var points = 0
        var at = first
        while at <= end {
            switch try eval(subquery.expr, at: at) {
            case .vector(let elements):
                for element in elements {
                    accumulator.append(element.labels, Sample(timestamp: at, value: element.value))
                }
                points &+= elements.count
                try chargePoints(elements.count)
            case let other:
                throw PromQLError("a subquery step returned a \(other.type.rawValue)")
            }
            accumulator.endStep()
            let (next, overflow) = at.addingReportingOverflow(step)
            if overflow { break }
            at = next
        }
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
