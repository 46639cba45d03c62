import KlaxonMetrics
import KlaxonPromQL
import KlaxonTestSupport
import Testing

@Suite struct EvaluatorBudgetTests {
    /// Ten series `m{i="0"}`…`m{i="9"}` with a sample every minute for ten minutes.
    private func source() throws -> InMemorySeries {
        var storage = InMemorySeries()
        for series in 0..<10 {
            storage.load(try SeriesDescription.parse("m{i=\"\(series)\"} 0+1x9"), step: 60_000)
        }
        return storage
    }

    private func evaluate(_ query: String, limits: QueryLimits, clock: ManualWallClock = ManualWallClock())
        throws(PromQLError) -> QueryValue
    {
        let budget = QueryBudget(limits: limits, clock: clock)
        do {
            return try Evaluator(source: try source()).evaluate(try PromQL.parse(query), at: 540_000, budget: budget)
        } catch let error as PromQLError {
            throw error
        } catch {
            throw PromQLError("\(error)")
        }
    }

    @Test func aQueryLoadingMoreThanMaxSamplesStopsWithPrometheusMessage() throws {
        // sum(rate(m[10m])) loads ten samples of each of ten series.
        #expect(throws: Never.self) { try evaluate("sum(rate(m[10m]))", limits: QueryLimits(maxSamples: 100)) }
        do {
            _ = try evaluate("sum(rate(m[10m]))", limits: QueryLimits(maxSamples: 99))
            Issue.record("a query over the cap succeeded")
        } catch {
            #expect(error.limit == .tooManySamples)
            #expect(error.message == "query processing would load too many samples into memory in query execution")
        }
    }

    @Test func samplesOfEverySelectorCountTowardsOneCap() throws {
        // Each instant selector loads one sample per series: 10 + 10.
        #expect(throws: Never.self) { try evaluate("m + m", limits: QueryLimits(maxSamples: 20)) }
        #expect { try evaluate("m + m", limits: QueryLimits(maxSamples: 19)) } throws: { error in
            (error as? PromQLError)?.limit == .tooManySamples
        }
    }

    @Test func aQueryPastItsDeadlineStopsWithATimeout() throws {
        let clock = ManualWallClock()
        let budget = QueryBudget(limits: QueryLimits(timeoutMilliseconds: 1_000), clock: clock)
        let evaluator = Evaluator(source: try source())
        let expr = try PromQL.parse("sum(m)")
        #expect(throws: Never.self) { try evaluator.evaluate(expr, at: 540_000, budget: budget) }
        clock.advance(by: 1_000)
        #expect { try evaluator.evaluate(expr, at: 540_000, budget: budget) } throws: { error in
            let error = error as? PromQLError
            return error?.limit == .timeout && error?.message == "query timed out in expression evaluation"
        }
    }
}
