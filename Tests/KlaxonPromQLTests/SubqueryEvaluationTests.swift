import KlaxonMetrics
import KlaxonPromQL
import KlaxonTestSupport
import Testing

/// Subqueries and the @ modifier as Prometheus 2.42 evaluates them, beyond its own test files.
@Suite struct SubqueryEvaluationTests {
    /// `x` is 0, 1, 2, … every 10 seconds from 0.
    private static func source() throws -> InMemorySeries {
        var storage = InMemorySeries()
        storage.load(try SeriesDescription.parse("x{a=\"1\"} 0+1x100"), step: 10_000)
        return storage
    }

    private static func value(_ query: String, at time: Int64, subqueryStep: Int64 = 60_000) throws -> Double? {
        let evaluator = Evaluator(source: try source(), subqueryStep: subqueryStep)
        guard case .vector(let elements) = try evaluator.evaluate(try PromQL.parse(query), at: time) else {
            return nil
        }
        return elements.first?.value
    }

    @Test func aSubqueryWithoutAStepRunsAtTheConfiguredEvaluationInterval() throws {
        // [5m] closed at both ends: 6 points at a 1m step, 11 at 30s, 31 at 10s.
        #expect(try Self.value("count_over_time(x[5m:])", at: 600_000) == 6)
        #expect(try Self.value("count_over_time(x[5m:])", at: 600_000, subqueryStep: 30_000) == 11)
        #expect(try Self.value("count_over_time(x[5m:])", at: 600_000, subqueryStep: 10_000) == 31)
        // An explicit step wins over the interval.
        #expect(try Self.value("count_over_time(x[5m:1m])", at: 600_000, subqueryStep: 10_000) == 6)
    }

    @Test func stepsAreAlignedInAbsoluteTimeNotToTheEvaluationTime() throws {
        // At 605s the 1m steps in [305s, 605s] are 360s … 600s: five of them, the last reading x at 600s.
        #expect(try Self.value("count_over_time(x[5m:1m])", at: 605_000) == 5)
        #expect(try Self.value("last_over_time(x[5m:1m])", at: 605_000) == 60)
        #expect(try Self.value("last_over_time(x[5m:1m] offset 20s)", at: 605_000) == 54)
    }

    @Test func atFixesTheTimeAndOffsetAppliesFromIt() throws {
        #expect(try Self.value("x @ 100", at: 900_000) == 10)
        #expect(try Self.value("x @ 100 offset 30s", at: 900_000) == 7)
        #expect(try Self.value("x offset 30s @ 100", at: 900_000) == 7)
        #expect(try Self.value("last_over_time(x[1m:10s] @ 200)", at: 0) == 20)
        // In an instant query start() and end() are the evaluation time.
        #expect(try Self.value("x @ start()", at: 300_000) == 30)
        #expect(try Self.value("x @ end() offset 1m", at: 300_000) == 24)
    }

    @Test func startAndEndAreTheRangeQuerysBoundsAtEveryStep() throws {
        let evaluator = Evaluator(source: try Self.source())
        let budget = QueryBudget(limits: QueryLimits(), clock: ManualWallClock(milliseconds: 0))
        for (query, expected) in [("x @ start()", 12.0), ("x @ end()", 24.0), ("max_over_time(x[1m:] @ end())", 24.0)] {
            let series = try evaluator.evaluateRange(
                try PromQL.parse(query), start: 120_000, end: 240_000, step: 30_000, budget: budget)
            #expect(series.count == 1, "\(query)")
            #expect(series.first?.samples.map(\.timestamp) == [120_000, 150_000, 180_000, 210_000, 240_000])
            #expect(series.first?.samples.allSatisfy { $0.value == expected } == true, "\(query): \(series)")
        }
    }

    @Test func subqueryPointsCountAgainstTheSampleCap() throws {
        let evaluator = Evaluator(source: try Self.source())
        let expr = try PromQL.parse("sum_over_time(x[10m:1s])")
        let tight = QueryBudget(limits: QueryLimits(maxSamples: 500), clock: ManualWallClock(milliseconds: 0))
        #expect(throws: PromQLError.self) { try evaluator.evaluate(expr, at: 900_000, budget: tight) }
        let roomy = QueryBudget(limits: QueryLimits(maxSamples: 5_000), clock: ManualWallClock(milliseconds: 0))
        #expect(throws: Never.self) { try evaluator.evaluate(expr, at: 900_000, budget: roomy) }
    }
}
