import KlaxonMetrics
import KlaxonPromQL
import Synchronization

/// An in-memory series source that rules can read and write while it is shared: the store of
/// `test rules`, and a stand-in for the server's SeriesStore in tests.
package final class SharedInMemorySeries: SeriesQueryable {
    private let series = Mutex(InMemorySeries())

    /// An empty source.
    package init() {}

    /// Adds samples (each series oldest first).
    package func append(_ samples: [RuleSample]) {
        series.withLock { store in
            for sample in samples { store.append(sample.labels, sample.sample) }
        }
    }

    /// Adds one sample.
    package func append(_ labels: Labels, _ sample: Sample) {
        series.withLock { $0.append(labels, sample) }
    }

    package func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [SeriesSamples] {
        series.withLock { $0.select(matchers, start: start, end: end) }
    }

    package func selectLatest(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [(
        labels: Labels, sample: Sample
    )] {
        series.withLock { $0.selectLatest(matchers, start: start, end: end) }
    }
}
