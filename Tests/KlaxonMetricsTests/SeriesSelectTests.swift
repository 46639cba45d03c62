import KlaxonMetrics
import Testing

@Suite struct SeriesSelectTests {
    typealias F = Fixtures

    static func store() throws -> SeriesStore {
        let store = SeriesStore()
        try store.append(
            owner: F.job,
            [
                F.gauge(
                    "up", F.sample("up", ["instance": "a", "job": "x"], 1, at: 100),
                    F.sample("up", ["instance": "b", "job": "x"], 0, at: 100)),
                F.gauge(
                    "queue", F.sample("queue", ["instance": "a"], 5, at: 100),
                    F.sample("queue", ["instance": "a"], 6, at: 200)),
                F.gauge("errors", F.sample("errors", ["instance": "c", "env": "prod"], 2, at: 100)),
            ], now: 1_000)
        return store
    }

    static func names(_ result: [(labels: Labels, sample: Sample)]) -> [String] {
        result.map(\.labels.description)
    }

    @Test(arguments: [
        ([("__name__", MatchType.equal, "up")], ["up{instance=\"a\", job=\"x\"}", "up{instance=\"b\", job=\"x\"}"]),
        ([("__name__", .equal, "up"), ("instance", .notEqual, "a")], ["up{instance=\"b\", job=\"x\"}"]),
        (
            [("__name__", .regexMatch, "up|queue"), ("instance", .equal, "a")],
            ["queue{instance=\"a\"}", "up{instance=\"a\", job=\"x\"}"]
        ),
        ([("instance", .regexMatch, "[ab]"), ("__name__", .regexNoMatch, "up")], ["queue{instance=\"a\"}"]),
        // An empty-matching matcher selects series without the label.
        ([("job", .equal, "")], ["errors{env=\"prod\", instance=\"c\"}", "queue{instance=\"a\"}"]),
        (
            [("env", .regexMatch, "prod|"), ("__name__", .regexMatch, ".+")],
            [
                "errors{env=\"prod\", instance=\"c\"}", "queue{instance=\"a\"}", "up{instance=\"a\", job=\"x\"}",
                "up{instance=\"b\", job=\"x\"}",
            ]
        ),
        ([("__name__", .equal, "missing")], []),
        ([("instance", .regexMatch, "z.*")], []),
    ])
    func selectLatestAppliesEveryMatcher(matchers: [(String, MatchType, String)], expected: [String]) throws {
        let result = try Self.store().selectLatest(matchers.map { F.matcher($0.0, $0.1, $0.2) }, start: 0, end: 1_000)
        #expect(Self.names(result) == expected)
    }

    @Test func selectReturnsSamplesInTheClosedRange() throws {
        let store = try Self.store()
        let queue = [F.matcher("__name__", .equal, "queue")]
        #expect(store.select(queue, start: 100, end: 200).first?.samples.map(\.value) == [5, 6])
        #expect(store.select(queue, start: 101, end: 199).isEmpty)
        #expect(store.select(queue, start: 200, end: 200).first?.samples.map(\.value) == [6])
        #expect(store.selectLatest(queue, start: 0, end: 150).first?.sample == Sample(timestamp: 100, value: 5))
    }

    @Test func selectingOneNameAmongTenThousandSeriesUsesTheIndex() throws {
        let store = SeriesStore()
        var families: [ParsedFamily] = []
        for family in 0..<100 {
            let samples = (0..<100).map { F.sample("metric_\(family)", ["instance": "i\($0)"], Double($0)) }
            families.append(F.family("metric_\(family)", .gauge, samples))
        }
        try store.replace(owner: F.job, with: families, now: 0)
        let matchers = [F.matcher("__name__", .equal, "metric_42"), F.matcher("instance", .regexMatch, "i1.")]
        let clock = ContinuousClock()
        var result: [(labels: Labels, sample: Sample)] = []
        let elapsed = clock.measure {
            for _ in 0..<100 { result = store.selectLatest(matchers, start: 0, end: 0) }
        }
        #expect(result.map(\.sample.value) == (10...19).map(Double.init))
        // A scan of all 10 000 series 100 times would take far longer than this even in a debug build.
        #expect(elapsed < .seconds(2), "100 indexed selections took \(elapsed)")
    }
}

@Suite struct LabelsMergingTests {
    static let base = Labels(["__name__": "engine_kpi", "job": "engine", "venue": "binance"])

    @Test(arguments: [
        ([Label("job", "pushed")], ["__name__": "engine_kpi", "job": "pushed", "venue": "binance"]),
        (
            [Label("zone", "eu"), Label("a", "1")],
            ["__name__": "engine_kpi", "a": "1", "job": "engine", "venue": "binance", "zone": "eu"]
        ),
        ([Label("venue", "")], ["__name__": "engine_kpi", "job": "engine"]),
        (
            [Label("job", "first"), Label("job", "second")],
            ["__name__": "engine_kpi", "job": "second", "venue": "binance"]
        ),
        ([Label](), ["__name__": "engine_kpi", "job": "engine", "venue": "binance"]),
    ])
    func mergingSetsOverridesAndRemovesEmptyOnes(overrides: [Label], expected: [String: String]) {
        let merged = Self.base.merging(overrides)
        #expect(merged == Labels(expected))
        // The result stays sorted, as every Labels must be for lookups and ordering.
        #expect(merged.pairs.map(\.name) == merged.pairs.map(\.name).sorted())
        #expect(merged == overrides.reduce(Self.base) { $0.setting($1.name, to: $1.value) })
    }
}
