import KlaxonMetrics
import KlaxonPromQL
import Synchronization
import Testing

@Suite struct EvaluatorTests {
    /// A source loaded from test-language series lines at a 1-minute step.
    private func source(_ lines: [String], step: Int64 = 60_000) throws -> InMemorySeries {
        var storage = InMemorySeries()
        for line in lines { storage.load(try SeriesDescription.parse(line), step: step) }
        return storage
    }

    private func vector(_ query: String, at time: Int64, _ storage: InMemorySeries) throws -> [VectorElement] {
        guard case .vector(let elements) = try Evaluator(source: storage).evaluate(try PromQL.parse(query), at: time)
        else {
            Issue.record("\(query) did not return a vector")
            return []
        }
        return elements.sorted { $0.labels < $1.labels }
    }

    @Test func staleMarkerEndsTheSeriesAndLookbackIsFiveMinutes() throws {
        let storage = try source(["m 1 stale _ 2"])
        #expect(try vector("m", at: 30_000, storage).map(\.value) == [1])
        #expect(try vector("m", at: 60_000, storage).isEmpty)
        #expect(try vector("m", at: 180_000 + 300_000, storage).map(\.value) == [2])
        #expect(try vector("m", at: 180_000 + 300_001, storage).isEmpty)
    }

    @Test func rateExtrapolatesAndAddsCounterResets() throws {
        // 0, 60, 120, then a reset to 30, at one-minute steps.
        let storage = try source(["c_total 0 60 120 30"])
        let increase = try vector("increase(c_total[3m])", at: 180_000, storage)
        // Raw increase 120 + 30 = 150 over 180 s sampled, range 180 s: no extrapolation needed.
        #expect(increase.map(\.value) == [150])
        let rate = try vector("rate(c_total[3m])", at: 180_000, storage)
        #expect(abs(rate[0].value - 150.0 / 180.0) < 1e-12)
        #expect(rate[0].labels == .empty)
    }

    @Test func negativeOffsetLooksForward() throws {
        let storage = try source(["m 1 2 3"])
        #expect(try vector("m offset -2m", at: 0, storage).map(\.value) == [3])
        #expect(try vector("m offset 1m", at: 120_000, storage).map(\.value) == [2])
    }

    @Test func comparisonFiltersAndKeepsNameUnlessBool() throws {
        let storage = try source(["m{i=\"a\"} 1", "m{i=\"b\"} 5"])
        let filtered = try vector("m > 2", at: 0, storage)
        #expect(filtered.map(\.labels) == [Labels(["__name__": "m", "i": "b"])])
        let flags = try vector("3 < bool m", at: 0, storage)
        #expect(flags.map(\.value) == [0, 1])
        #expect(flags.allSatisfy { $0.labels.metricName == nil })
    }

    @Test func manyToManyMatchingIsAnError() throws {
        let storage = try source([
            "a{job=\"x\", i=\"1\"} 1", "a{job=\"x\", i=\"2\"} 1", "b{job=\"x\", i=\"3\"} 1", "b{job=\"x\", i=\"4\"} 1",
        ])
        #expect(throws: PromQLError.self) { try vector("a + on(job) b", at: 0, storage) }
        let grouped = try vector("a + on(job) group_left b{i=\"3\"}", at: 0, storage)
        #expect(grouped.count == 2)
    }

    @Test func countValuesWritesValuesAsGoDoes() throws {
        let storage = try source(["m{i=\"a\"} 1e21", "m{i=\"b\"} 0.5", "m{i=\"c\"} 0.5"])
        let counts = try vector("count_values(\"v\", m)", at: 0, storage)
        #expect(counts.map { $0.labels["v"] ?? "" } == ["0.5", "1000000000000000000000"])
        #expect(counts.map(\.value) == [2, 1])
    }

    @Test func labelReplaceExpandsGroups() throws {
        let storage = try source(["m{src=\"host-42\"} 1"])
        let out = try vector(#"label_replace(m, "id", "${1}x$1y$$", "src", "host-(.*)")"#, at: 0, storage)
        // As in Go, `$1y` names a group "1y", which does not exist, so it expands to nothing.
        #expect(out.first?.labels["id"] == "42x$")
        #expect(out.first?.labels.metricName == "m")
    }

    @Test func absentReportsEqualityMatchers() throws {
        let storage = try source(["m 1"])
        let out = try vector(#"absent(nope{job="a", env=~"p.*"})"#, at: 0, storage)
        #expect(out == [VectorElement(labels: Labels(["job": "a"]), value: 1)])
        #expect(try vector("absent(m)", at: 0, storage).isEmpty)
    }

    @Test func scalarResultsAndTime() throws {
        let value = try Evaluator(source: InMemorySeries()).evaluate(
            try PromQL.parse("time() * 2 + scalar(vector(1))"), at: 5_000)
        #expect(value == .scalar(11))
    }
}

/// Wraps a source and counts which query path the evaluator takes.
private final class CountingSource: SeriesQueryable {
    let inner: InMemorySeries
    let counts = Mutex((select: 0, latest: 0))

    init(_ inner: InMemorySeries) {
        self.inner = inner
    }

    func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [SeriesSamples] {
        counts.withLock { $0.select += 1 }
        return inner.select(matchers, start: start, end: end)
    }

    func selectLatest(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [(labels: Labels, sample: Sample)] {
        counts.withLock { $0.latest += 1 }
        return inner.selectLatest(matchers, start: start, end: end)
    }
}

@Suite struct EvaluatorSourceTests {
    @Test func instantSelectorsUseTheLatestFastPathAndRangesUseSelect() throws {
        var storage = InMemorySeries()
        storage.load(try SeriesDescription.parse("m 1 2 3"), step: 60_000)
        let source = CountingSource(storage)
        let evaluator = Evaluator(source: source)
        _ = try evaluator.evaluate(try PromQL.parse("m > 1"), at: 120_000)
        #expect(source.counts.withLock { $0 } == (select: 0, latest: 1))
        _ = try evaluator.evaluate(try PromQL.parse("rate(m[2m])"), at: 120_000)
        #expect(source.counts.withLock { $0 } == (select: 1, latest: 1))
    }
}
