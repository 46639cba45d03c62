import KlaxonMetrics
import KlaxonPromQL
import KlaxonTestSupport
import Testing

/// A range query is an instant query at every step, gathered per series, as Prometheus evaluates it.
@Suite struct RangeEvaluationTests {
    /// Series at a 15-second step from 0, with a gap, a stale marker and a counter reset.
    private static func source() throws -> InMemorySeries {
        var storage = InMemorySeries()
        let lines = [
            #"engine_fills_total{venue="a"} 0+3x40"#,
            #"engine_fills_total{venue="b"} 0 5 10 15 2 7 12 _ _ 20 25 30 35"#,
            #"engine_depth{queue="x"} 1 2 3 stale 5 6 7 8 9 10"#,
            #"engine_depth{queue="y"} 9 8 7 6 5 4 3 2 1"#,
        ]
        for line in lines { storage.load(try SeriesDescription.parse(line), step: 15_000) }
        return storage
    }

    private static func budget(maxSamples: Int = QueryLimits.defaultMaxSamples) -> QueryBudget {
        QueryBudget(limits: QueryLimits(maxSamples: maxSamples), clock: ManualWallClock(milliseconds: 0))
    }

    @Test(arguments: [
        "engine_depth", "rate(engine_fills_total[1m])", "sum by (venue) (increase(engine_fills_total[2m]))",
        "engine_depth offset 30s", "engine_depth > 4", "max_over_time(engine_depth[45s]) * 2",
        "time()", "1 + 2", "timestamp(engine_depth)", "count(engine_depth) or vector(0)",
        "label_replace(engine_depth, \"q\", \"$1\", \"queue\", \"(.*)\")",
        // Subqueries and @ read outside the steps' own windows: the snapshot must hold what they read.
        "max_over_time(rate(engine_fills_total[1m])[2m:15s])", "sum_over_time(engine_depth[3m:])",
        "engine_depth @ 45", "rate(engine_fills_total[1m] @ 300)",
        "avg_over_time(engine_depth[2m:30s] @ 120 offset 30s)",
        "count_over_time(engine_depth[1m:10s] offset -2m)", "engine_depth atan2 on(queue) group_left engine_depth",
    ])
    func everyStepEqualsTheInstantQueryAtThatTime(query: String) throws {
        let storage = try Self.source()
        let expr = try PromQL.parse(query)
        let evaluator = Evaluator(source: storage)
        let (start, end, step): (Int64, Int64, Int64) = (0, 600_000, 20_000)
        let series = try evaluator.evaluateRange(expr, start: start, end: end, step: step, budget: Self.budget())

        var expected: [Labels: [Sample]] = [:]
        for time in stride(from: start, through: end, by: Int(step)) {
            switch try evaluator.evaluate(expr, at: time) {
            case .scalar(let value): expected[.empty, default: []].append(Sample(timestamp: time, value: value))
            case .vector(let elements):
                for element in elements {
                    expected[element.labels, default: []].append(Sample(timestamp: time, value: element.value))
                }
            default: Issue.record("\(query) is not a vector or scalar")
            }
        }
        #expect(series.count == expected.count, "\(query)")
        #expect(series.map(\.labels) == series.map(\.labels).sorted(), "series are sorted by labels")
        for entry in series {
            #expect(entry.samples == expected[entry.labels], "\(query) \(entry.labels)")
        }
        #expect(!series.isEmpty, "\(query) returned nothing; the comparison would prove nothing")
    }

    @Test func aScalarIsOneSeriesWithoutLabelsWithAPointPerStep() throws {
        let series = try Evaluator(source: InMemorySeries()).evaluateRange(
            try PromQL.parse("time() * 2"), start: 10_000, end: 70_000, step: 30_000, budget: Self.budget())
        #expect(series.map(\.labels) == [.empty])
        #expect(series.first?.samples.map(\.timestamp) == [10_000, 40_000, 70_000])
        #expect(series.first?.samples.map(\.value) == [20, 80, 140])
    }

    @Test func aSeriesAbsentAtSomeStepsHasNoPointThere() throws {
        // queue="x" goes stale at 45 s and comes back at 60 s.
        let series = try Evaluator(source: try Self.source()).evaluateRange(
            try PromQL.parse("engine_depth{queue=\"x\"}"), start: 0, end: 90_000, step: 15_000, budget: Self.budget())
        #expect(series.first?.samples.map(\.timestamp) == [0, 15_000, 30_000, 60_000, 75_000, 90_000])
    }

    @Test(arguments: [("engine_depth[1m]", "range vector"), ("\"text\"", "string")])
    func onlyScalarsAndInstantVectorsMayBeRanged(query: String, type: String) throws {
        #expect {
            try Evaluator(source: try Self.source()).evaluateRange(
                try PromQL.parse(query), start: 0, end: 60_000, step: 15_000, budget: Self.budget())
        } throws: { error in
            "\(error)".contains("invalid expression type \"\(type)\" for range query, must be Scalar or instant Vector")
        }
    }

    @Test func samplesLoadedAndPointsReturnedCountAgainstTheCap() throws {
        let expr = try PromQL.parse("engine_fills_total{venue=\"a\"}")
        let evaluator = Evaluator(source: try Self.source())
        // 41 samples are loaded (0 to 600 s, at 15 s) and 41 points returned.
        #expect(throws: Never.self) {
            try evaluator.evaluateRange(expr, start: 0, end: 600_000, step: 15_000, budget: Self.budget(maxSamples: 82))
        }
        #expect {
            try evaluator.evaluateRange(expr, start: 0, end: 600_000, step: 15_000, budget: Self.budget(maxSamples: 81))
        } throws: { error in
            (error as? PromQLError)?.limit == .tooManySamples
        }
    }

    @Test func aDeadlinePassedStopsTheQuery() throws {
        let clock = ManualWallClock(milliseconds: 0)
        let budget = QueryBudget(limits: QueryLimits(timeoutMilliseconds: 1_000), clock: clock)
        clock.advance(by: 1_000)
        #expect {
            try Evaluator(source: try Self.source()).evaluateRange(
                try PromQL.parse("engine_depth"), start: 0, end: 600_000, step: 1_000, budget: budget)
        } throws: { error in
            (error as? PromQLError)?.limit == .timeout
        }
    }
}
