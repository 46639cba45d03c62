import KlaxonMetrics

/// The samples a range query reads, loaded once before its steps are evaluated.
///
/// Each selector of the expression is selected from the source once, over the union of the
/// windows its steps read (`[start - offset - range or lookback, end - offset]`, moved by `@` and
/// widened by the subqueries around it). The steps then
/// read this snapshot: one lock of the store and one regex pass per selector instead of one per
/// step, and every step sees the same data, as a Prometheus range query sees one TSDB querier.
struct RangeSnapshot: SeriesQueryable {
    /// The series of each selector's matchers, in the source's order, samples oldest first.
    private let selected: [[LabelMatcher]: [SeriesSamples]]

    /// Loads every selector of `expr` for steps from `start` to `end` (Unix ms), charging the
    /// samples loaded to `budget`.
    static func load(
        _ expr: Expr, from source: any SeriesQueryable, start: Int64, end: Int64, lookbackDelta: Int64,
        subqueryStep: Int64, budget: QueryBudget
    ) throws(PromQLError) -> RangeSnapshot {
        let windows = expr.readWindows(
            from: start, to: end, queryStart: start, queryEnd: end, lookbackDelta: lookbackDelta,
            subqueryStep: subqueryStep)
        var selected: [[LabelMatcher]: [SeriesSamples]] = [:]
        for (matchers, window) in windows {
            do {
                selected[matchers] = try source.select(matchers, start: window.start, end: window.end, budget: budget)
            } catch {
                throw PromQLError(error)
            }
        }
        return RangeSnapshot(selected: selected)
    }

    // MARK: - SeriesQueryable

    func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [SeriesSamples] {
        var found: [SeriesSamples] = []
        for series in selected[matchers] ?? [] {
            let lower = Self.firstIndex(series.samples, atOrAfter: start)
            let upper = Self.firstIndex(series.samples, atOrAfter: end == .max ? end : end + 1)
            guard lower < upper else { continue }
            found.append(SeriesSamples(labels: series.labels, samples: Array(series.samples[lower..<upper])))
        }
        return found
    }

    func selectLatest(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [(labels: Labels, sample: Sample)] {
        var found: [(labels: Labels, sample: Sample)] = []
        for series in selected[matchers] ?? [] {
            let upper = Self.firstIndex(series.samples, atOrAfter: end == .max ? end : end + 1)
            guard upper > 0 else { continue }
            let sample = series.samples[upper - 1]
            if sample.timestamp >= start { found.append((series.labels, sample)) }
        }
        return found
    }

    /// The samples were charged when the snapshot was loaded; a step only counts its work
    /// toward the next reading of the deadline clock.
    func select(_ matchers: [LabelMatcher], start: Int64, end: Int64, budget: QueryBudget)
        throws(QueryLimitError) -> [SeriesSamples]
    {
        let found = select(matchers, start: start, end: end)
        try budget.step(max(1, found.count))
        return found
    }

    func selectLatest(_ matchers: [LabelMatcher], start: Int64, end: Int64, budget: QueryBudget)
        throws(QueryLimitError) -> [(labels: Labels, sample: Sample)]
    {
        let found = selectLatest(matchers, start: start, end: end)
        try budget.step(max(1, found.count))
        return found
    }

    private static func firstIndex(_ samples: [Sample], atOrAfter time: Int64) -> Int {
        var low = 0
        var high = samples.count
        while low < high {
            let mid = low + (high - low) / 2
            if samples[mid].timestamp < time { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
