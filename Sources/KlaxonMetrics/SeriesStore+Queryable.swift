// MARK: - Queries

extension SeriesStore: SeriesQueryable {
    package func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [SeriesSamples] {
        // Without a budget nothing can stop the query, so the error type is uninhabited in practice.
        (try? select(matchers, start: start, end: end, budget: nil)) ?? []
    }

    package func selectLatest(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [(
        labels: Labels, sample: Sample
    )] {
        (try? selectLatest(matchers, start: start, end: end, budget: nil)) ?? []
    }

    package func select(_ matchers: [LabelMatcher], start: Int64, end: Int64, budget: QueryBudget)
        throws(QueryLimitError) -> [SeriesSamples]
    {
        try select(matchers, start: start, end: end, budget: Optional(budget))
    }

    package func selectLatest(_ matchers: [LabelMatcher], start: Int64, end: Int64, budget: QueryBudget)
        throws(QueryLimitError) -> [(labels: Labels, sample: Sample)]
    {
        try selectLatest(matchers, start: start, end: end, budget: Optional(budget))
    }

    private func select(_ matchers: [LabelMatcher], start: Int64, end: Int64, budget: QueryBudget?)
        throws(QueryLimitError) -> [SeriesSamples]
    {
        try budget?.checkDeadline()
        let selection = try selectionMatchers(matchers, budget: budget)
        return try state.withLock { (state: inout SeriesStoreState) throws(QueryLimitError) -> [SeriesSamples] in
            var found: [SeriesSamples] = []
            let times = state.sampleTimes.view
            for id in state.matchingIDs(selection) {
                guard let stored = state.series[id] else { continue }
                let samples = stored.ring.samples(from: start, through: end, times: times)
                guard !samples.isEmpty else { continue }
                // Charged per series as it is copied, so a query over the cap stops copying at once.
                try budget?.charge(samples: samples.count)
                found.append(SeriesSamples(labels: stored.labels, samples: samples))
            }
            return found
        }
    }

    private func selectLatest(_ matchers: [LabelMatcher], start: Int64, end: Int64, budget: QueryBudget?)
        throws(QueryLimitError) -> [(labels: Labels, sample: Sample)]
    {
        try budget?.checkDeadline()
        let selection = try selectionMatchers(matchers, budget: budget)
        return try state.withLock {
            (state: inout SeriesStoreState) throws(QueryLimitError) -> [(labels: Labels, sample: Sample)] in
            var found: [(labels: Labels, sample: Sample)] = []
            let times = state.sampleTimes.view
            for id in state.matchingIDs(selection) {
                guard let stored = state.series[id],
                    let sample = stored.ring.latest(from: start, through: end, times: times)
                else { continue }
                try budget?.charge(samples: 1)
                found.append((stored.labels, sample))
            }
            return found
        }
    }

    /// The matchers ready for selection under the lock: each costly regex comes with the values it
    /// accepts among those its label has now, matched here with the lock released.
    ///
    /// The lock is held only to copy the label's values, so a slow regex (catastrophic backtracking
    /// on a long value) delays this query alone, never a push, a scrape or a rule evaluation. A
    /// series created after the copy with a value not in it is not selected: the query sees the
    /// label values as they were when it began.
    func selectionMatchers(_ matchers: [LabelMatcher], budget: QueryBudget?) throws(QueryLimitError)
        -> [SelectionMatcher]
    {
        guard matchers.contains(where: \.isCostly) else { return matchers.map { SelectionMatcher($0) } }
        let names = Set(matchers.filter(\.isCostly).map(\.name))
        let values = state.withLock { state -> [String: [String]] in
            var values: [String: [String]] = [:]
            for name in names { values[name] = state.postings[name].map { Array($0.keys) } ?? [] }
            return values
        }
        var selection: [SelectionMatcher] = []
        selection.reserveCapacity(matchers.count)
        for matcher in matchers {
            guard matcher.isCostly else {
                selection.append(SelectionMatcher(matcher))
                continue
            }
            var accepted: Set<String> = []
            for value in values[matcher.name] ?? [] {
                // Each match may take long on its own: the clock is read before every one, and a
                // match still running at the deadline is abandoned.
                if let budget {
                    try budget.checkDeadline()
                    if try matcher.matches(value, within: budget) { accepted.insert(value) }
                } else if matcher.matches(value) {
                    accepted.insert(value)
                }
            }
            selection.append(SelectionMatcher(matcher, accepted: accepted))
        }
        return selection
    }
}
