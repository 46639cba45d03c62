/// One value of a series at a time in Unix milliseconds.
package struct Sample: Hashable, Sendable {
    package var timestamp: Int64
    package var value: Double

    package init(timestamp: Int64, value: Double) {
        self.timestamp = timestamp
        self.value = value
    }

    /// Prometheus's stale marker: a NaN with a payload that no arithmetic produces.
    package static let staleNaN = Double(bitPattern: 0x7ff0_0000_0000_0002)

    /// True when the value is the stale marker (not just any NaN).
    package var isStaleMarker: Bool { value.bitPattern == Sample.staleNaN.bitPattern }

    package static func == (lhs: Sample, rhs: Sample) -> Bool {
        lhs.timestamp == rhs.timestamp && lhs.value.bitPattern == rhs.value.bitPattern
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(timestamp)
        hasher.combine(value.bitPattern)
    }
}

/// A series and its samples in a time range, oldest first.
package struct SeriesSamples: Sendable, Equatable {
    package var labels: Labels
    package var samples: [Sample]

    package init(labels: Labels, samples: [Sample]) {
        self.labels = labels
        self.samples = samples
    }
}

/// What the query engine reads: series chosen by matchers, with their samples in a range.
///
/// The series store implements this; tests implement it over plain arrays. Both ends of the
/// range are inclusive (Prometheus 2.x closed intervals).
package protocol SeriesQueryable: Sendable {
    /// Every series matching all `matchers`, with its samples in `[start, end]`, oldest first.
    /// Series with no sample in the range are left out.
    func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [SeriesSamples]

    /// Every series matching all `matchers`, with only its newest sample in `[start, end]`.
    ///
    /// The fast path for instant vector selectors. A series whose newest sample in range is a
    /// stale marker is returned with that marker; the caller drops it.
    func selectLatest(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [(labels: Labels, sample: Sample)]

    /// `select`, charging the samples returned to `budget`; throws when the query must stop.
    ///
    /// A source that can be slow (the series store matching regexes) checks the deadline while it
    /// works and stops copying samples once the cap is passed.
    func select(_ matchers: [LabelMatcher], start: Int64, end: Int64, budget: QueryBudget) throws(QueryLimitError)
        -> [SeriesSamples]

    /// `selectLatest`, charging one sample per series returned to `budget`.
    func selectLatest(_ matchers: [LabelMatcher], start: Int64, end: Int64, budget: QueryBudget)
        throws(QueryLimitError) -> [(labels: Labels, sample: Sample)]
}

extension SeriesQueryable {
    package func selectLatest(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [(
        labels: Labels, sample: Sample
    )] {
        select(matchers, start: start, end: end).compactMap { series in
            series.samples.last.map { (series.labels, $0) }
        }
    }

    package func select(_ matchers: [LabelMatcher], start: Int64, end: Int64, budget: QueryBudget)
        throws(QueryLimitError) -> [SeriesSamples]
    {
        try budget.checkDeadline()
        let found = select(matchers, start: start, end: end)
        for series in found { try budget.charge(samples: series.samples.count) }
        return found
    }

    package func selectLatest(_ matchers: [LabelMatcher], start: Int64, end: Int64, budget: QueryBudget)
        throws(QueryLimitError) -> [(labels: Labels, sample: Sample)]
    {
        try budget.checkDeadline()
        let found = selectLatest(matchers, start: start, end: end)
        try budget.charge(samples: found.count)
        return found
    }
}
