import KlaxonMetrics
import KlaxonPromQL
import KlaxonRuntime
import Synchronization

/// Holds the loaded rule groups and evaluates them: each on its interval, and at once when a
/// series one of its rules reads has changed (`eval_on_push`). Rules read the store through the
/// PromQL evaluator and write back through `append`; alert changes go to `notify`.
///
/// Evaluations are serialised (one group at a time, never a group twice at once), so an
/// evaluation always sees what the previous one wrote. `run()` is the service loop; tests drive
/// `evaluateDue(at:)` with a manual clock instead.
package final class RuleManager: Service {
    package let name = "rules"
    let dependencies: RuleManagerDependencies
    let options: RuleManagerOptions
    let evaluator: Evaluator
    let state = Mutex(State())
    /// Held for a whole evaluation or reload swap; always taken before `state`.
    let evaluationGate = Mutex(())

    /// One loaded group and its evaluation bookkeeping.
    struct Slot: Sendable {
        var definition: RuleGroupDefinition
        var group: RuleGroupState
        var expressions: [String: Expr]
        var metricNames: Set<String>?
        /// When the next interval evaluation is due (Unix ms).
        var nextDue: Int64
        /// Push requests received and those an evaluation has seen; a request that arrives while
        /// the group is being evaluated stays pending for the next evaluation.
        var pushRequests = 0
        var pushHandled = 0
        var lastPushEvaluation: Int64?
        var lastEvaluation: Int64?
        /// The rules that failed at the last evaluation.
        var lastFailures: [RuleError] = []
        /// How long the last evaluation took, and each expression's query in it (by text; a rule
        /// that reused another's result took none).
        var lastDuration: Duration = .zero
        var lastQueryDurations: [String: Duration] = [:]
        /// Bumped when a reload replaces the slot, so a stale evaluation result is dropped.
        var generation: Int

        var pushPending: Bool { pushRequests > pushHandled }
    }

    struct State: Sendable {
        var slots: [RuleGroupKey: Slot] = [:]
        var order: [RuleGroupKey] = []
        var status = RuleManagerStatus()
        var generation = 0
        var waiter: CheckedContinuation<Void, Never>?
        var wakeRequested = false
    }

    package init(options: RuleManagerOptions = RuleManagerOptions(), dependencies: RuleManagerDependencies) {
        self.options = options
        self.dependencies = dependencies
        // A subquery without a step runs at the global evaluation_interval, as in Prometheus (rules and queries alike).
        evaluator = Evaluator(
            source: dependencies.source, lookbackDelta: options.lookbackDelta,
            subqueryStep: options.load.defaultInterval)
    }

    // MARK: - Reading

    /// Reload and evaluation counters for the server's metrics.
    package var status: RuleManagerStatus { state.withLock { $0.status } }

    /// The loaded groups in file order.
    package var groups: [RuleGroupDefinition] {
        state.withLock { state in state.order.compactMap { state.slots[$0]?.definition } }
    }

    /// Pending, firing and recently resolved alerts of every group, by group and rule.
    package var alerts: [(group: RuleGroupKey, rule: String, alert: Alert)] {
        state.withLock { state in
            state.order.flatMap { key -> [(group: RuleGroupKey, rule: String, alert: Alert)] in
                guard let slot = state.slots[key] else { return [] }
                return slot.group.rules.flatMap { rule -> [(group: RuleGroupKey, rule: String, alert: Alert)] in
                    guard case .alerting(let alerting) = rule else { return [] }
                    return alerting.alerts.map { (key, alerting.rule.name, $0) }
                }
            }
        }
    }

    /// Each group's schedule and last outcome, in file order, for the HTTP API and self-metrics.
    package var groupStatuses: [RuleGroupStatus] {
        state.withLock { state in
            state.order.compactMap { key in
                state.slots[key].map {
                    RuleGroupStatus(
                        key: key, interval: $0.definition.interval, ruleCount: $0.definition.rules.count,
                        evalOnPush: $0.definition.evalOnPush, lastEvaluation: $0.lastEvaluation,
                        nextEvaluation: $0.nextDue, lastFailures: $0.lastFailures)
                }
            }
        }
    }

    /// Longest query text accepted by `query(_:at:)`.
    package static let maximumQueryLength = 64 * 1024

    /// Evaluates a PromQL expression at `time` (Unix ms) through the rules' evaluator, for the HTTP API.
    ///
    /// The query runs within `budget`, or within `options.queryLimits` from now when none is given;
    /// it never takes the evaluation gate, so a slow query does not hold up the rule groups.
    package func query(_ text: String, at time: Int64, budget: QueryBudget? = nil) throws(PromQLError) -> QueryValue {
        guard text.utf8.count <= Self.maximumQueryLength else {
            throw PromQLError("query is \(text.utf8.count) bytes; the limit is \(Self.maximumQueryLength) bytes")
        }
        let expr = try PromQL.parse(text)
        return try evaluator.evaluate(expr, at: time, budget: budget ?? makeBudget())
    }

    /// Evaluates a PromQL expression as a range query from `start` to `end` every `step` (Unix ms),
    /// for the HTTP API, like `query(_:at:budget:)`.
    package func queryRange(_ text: String, start: Int64, end: Int64, step: Int64, budget: QueryBudget? = nil)
        throws(PromQLError) -> [SeriesSamples]
    {
        guard text.utf8.count <= Self.maximumQueryLength else {
            throw PromQLError("query is \(text.utf8.count) bytes; the limit is \(Self.maximumQueryLength) bytes")
        }
        let expr = try PromQL.parse(text)
        return try evaluator.evaluateRange(expr, start: start, end: end, step: step, budget: budget ?? makeBudget())
    }

    /// A fresh budget for one query, starting now.
    func makeBudget() -> QueryBudget {
        QueryBudget(limits: options.queryLimits, clock: dependencies.deadlineClock)
    }

    // MARK: - Evaluation on arrival

    /// Asks for an evaluation of every `eval_on_push` group that reads one of `metricNames`
    /// (a group whose selectors have no fixed name reads every name). Call it for ingested
    /// series only: rule output is already seen by the groups after it.
    package func seriesChanged(metricNames: Set<String>) {
        let marked = state.withLock { state -> Bool in
            var any = false
            for key in state.order {
                guard let slot = state.slots[key], slot.definition.evalOnPush else { continue }
                if let read = slot.metricNames, read.isDisjoint(with: metricNames) { continue }
                state.slots[key]?.pushRequests += 1
                any = true
            }
            return any
        }
        if marked { wake() }
    }

    // MARK: - Service

    /// Evaluates groups as they fall due until the task is cancelled.
    package func run() async throws {
        while !Task.isCancelled {
            let next = evaluateDue(at: dependencies.clock.nowMilliseconds())
            let delay = next.map { max(0, $0 - dependencies.clock.nowMilliseconds()) } ?? 60_000
            await waitForWake(orAfter: delay)
        }
    }
}
