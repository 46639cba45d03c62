// MARK: - Series metadata (series, label names, label values)

extension SeriesStore {
    /// The labels of every stored series that matches one of `selectors` (all matchers of a
    /// selector must match) and holds a sample in `[start, end]`, each once, sorted.
    ///
    /// No selector at all means every series. The deadline of `budget` is checked as the series
    /// are read; nothing is charged against its sample cap, since no sample is copied.
    package func seriesLabels(matching selectors: [[LabelMatcher]], start: Int64, end: Int64, budget: QueryBudget)
        throws(QueryLimitError) -> [Labels]
    {
        try budget.checkDeadline()
        var selections: [[SelectionMatcher]] = []
        for matchers in selectors {
            selections.append(try selectionMatchers(matchers, budget: budget))
        }
        let found = try state.withLock { (state: inout SeriesStoreState) throws(QueryLimitError) -> Set<Labels> in
            var found: Set<Labels> = []
            let times = state.sampleTimes.view
            if selections.isEmpty {
                for id in state.series.indices {
                    try budget.step()
                    guard let stored = state.series[id],
                        stored.ring.latest(from: start, through: end, times: times) != nil
                    else { continue }
                    found.insert(stored.labels)
                }
            }
            for selection in selections {
                for id in state.matchingIDs(selection) {
                    try budget.step()
                    guard let stored = state.series[id],
                        stored.ring.latest(from: start, through: end, times: times) != nil
                    else { continue }
                    found.insert(stored.labels)
                }
            }
            return found
        }
        return found.sorted()
    }
}
