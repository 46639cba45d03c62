import KlaxonMetrics
import KlaxonPromQL
import KlaxonRules
import Synchronization
import Testing

/// Rules with subqueries: the step Prometheus gives `x[5m:]` and the history the store must keep.
@Suite struct RuleManagerSubqueryTests {
    static let rules = """
        groups:
          - name: g
            interval: 5s
            rules:
              - record: points
                expr: count_over_time(x[5m:])
        """

    /// Pushes `x` every 10 s from `from` to `to` and evaluates the group at `to`.
    private static func points(
        evaluationInterval: Int64, historyNeeded: @escaping @Sendable (Int64) -> Void = { _ in }
    ) throws -> Double? {
        let harness = RuleManagerHarness(
            options: RuleManagerOptions(load: RuleLoadOptions(defaultInterval: evaluationInterval)),
            historyNeeded: historyNeeded)
        let (from, to): (Int64, Int64) = (800_000, 1_200_000)
        for time in stride(from: from, through: to, by: 10_000) {
            harness.store.append(Labels(["__name__": "x"]), Sample(timestamp: time, value: 1))
        }
        try harness.load(Self.rules)
        harness.manager.evaluateDue(at: to)
        guard case .vector(let elements) = try harness.manager.query("points", at: to) else { return nil }
        return elements.first?.value
    }

    @Test func aSubqueryWithoutAStepRunsAtTheGlobalEvaluationIntervalNotTheGroups() throws {
        // [900 s, 1200 s] closed: 11 points every 30 s, 6 every minute; the group's 5 s plays no part.
        #expect(try Self.points(evaluationInterval: 30_000) == 11)
        #expect(try Self.points(evaluationInterval: 60_000) == 6)
    }

    @Test func theStoreKeepsTheSubquerysRangeBeyondTheLookback() throws {
        let history = HistoryLog()
        _ = try Self.points(evaluationInterval: 60_000) { needed in history.values.withLock { $0.append(needed) } }
        // 5 m of subquery range plus the 5 m lookback of the selector inside it.
        #expect(history.values.withLock { $0.last } == 600_000)
    }
}

/// What the manager asked the store to keep, shared with its closure.
private final class HistoryLog: Sendable {
    let values = Mutex<[Int64]>([])
}
