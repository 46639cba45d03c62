import KlaxonMetrics
import KlaxonPromQL
import KlaxonRuntime

/// What the rule manager needs from the server: where series come from, where rule output goes,
/// who hears about alerts, and time.
package struct RuleManagerDependencies: Sendable {
    /// The series rules read (the SeriesStore).
    package var source: any SeriesQueryable
    /// Writes recording-rule output and `ALERTS`/`ALERTS_FOR_STATE`; `owner` names the group
    /// (`rules/FILE;GROUP`) so the store can replace or drop a group's series as a whole.
    package var append: @Sendable (_ owner: String, _ samples: [RuleSample]) -> Void
    /// Receives what an evaluation changed (transitions, alerts due, failures); called without locks held.
    package var notify: @Sendable (RuleEvaluationReport) -> Void
    package var clock: any WallClock
    /// Times each query's deadline (`RuleManagerOptions.queryLimits`).
    package var deadlineClock: any MonotonicClock
    /// Sleeps for a number of milliseconds; throws when cancelled.
    package var sleep: @Sendable (_ milliseconds: Int64) async throws -> Void
    package var logger: Logger
    /// Told, at every load and reload, how far back the loaded rules read (their longest range or
    /// lookback plus offset, in milliseconds), so the store keeps that much history.
    package var historyNeeded: @Sendable (_ milliseconds: Int64) -> Void

    package init(
        source: any SeriesQueryable,
        append: @escaping @Sendable (_ owner: String, _ samples: [RuleSample]) -> Void,
        notify: @escaping @Sendable (RuleEvaluationReport) -> Void,
        clock: any WallClock = SystemWallClock(),
        deadlineClock: any MonotonicClock = SystemMonotonicClock(),
        sleep: @escaping @Sendable (_ milliseconds: Int64) async throws -> Void = { milliseconds in
            try await Task.sleep(for: .milliseconds(milliseconds))
        },
        logger: Logger = .disabled,
        historyNeeded: @escaping @Sendable (_ milliseconds: Int64) -> Void = { _ in }
    ) {
        self.historyNeeded = historyNeeded
        self.source = source
        self.append = append
        self.notify = notify
        self.clock = clock
        self.deadlineClock = deadlineClock
        self.sleep = sleep
        self.logger = logger
    }
}

/// Settings of the rule manager that come from klaxon.yml.
package struct RuleManagerOptions: Sendable {
    /// How rule files are read; `defaultInterval` is the config's `evaluation_interval`.
    package var load: RuleLoadOptions
    /// Instant-selector lookback, milliseconds (Prometheus: 5 minutes).
    package var lookbackDelta: Int64
    /// Least time between two push-triggered evaluations of one group, milliseconds.
    ///
    /// 0 by default: a push is evaluated at once, and pushes that arrive while an evaluation runs
    /// are served together by the one evaluation that follows it, so bursts coalesce without a
    /// P0 waiting out a window.
    package var pushCoalescing: Int64
    package var externalLabels: Labels
    package var externalURL: String
    /// How often a still-firing alert is reported again in `alertsToSend`.
    package var resendDelay: Int64
    /// How long after a restore a restored alert with no series keeps its state (default 1m).
    package var restoreGrace: Int64 = 60_000
    /// Deadline and sample cap of every rule expression and API query (`query:` in klaxon.yml).
    package var queryLimits: QueryLimits

    package init(
        load: RuleLoadOptions = .klaxon, lookbackDelta: Int64 = 300_000, pushCoalescing: Int64 = 0,
        externalLabels: Labels = .empty, externalURL: String = "", resendDelay: Int64 = 60_000,
        queryLimits: QueryLimits = QueryLimits()
    ) {
        self.queryLimits = queryLimits
        self.load = load
        self.lookbackDelta = lookbackDelta
        self.pushCoalescing = pushCoalescing
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.resendDelay = resendDelay
    }
}

/// What one evaluation of one group produced, for the notifier and the logs.
package struct RuleEvaluationReport: Sendable {
    /// Why the group ran.
    package enum Trigger: String, Sendable {
        case interval
        case push
    }

    package var group: RuleGroupKey
    /// Evaluation time, Unix milliseconds.
    package var time: Int64
    package var trigger: Trigger
    /// Transitions, alerts due to the notifier, failed rules and failed template expansions.
    package var step: RuleGroupState.Step

    package init(group: RuleGroupKey, time: Int64, trigger: Trigger, step: RuleGroupState.Step) {
        self.group = group
        self.time = time
        self.trigger = trigger
        self.step = step
    }
}

/// Reload and evaluation state the server exports as metrics.
package struct RuleManagerStatus: Sendable, Equatable {
    /// `klaxon_config_last_reload_successful`: whether the last reload applied.
    package var lastReloadSuccessful: Bool = true
    /// `klaxon_config_last_reload_success_timestamp_seconds`: Unix seconds of the last applied reload.
    package var lastReloadSuccessTimestampSeconds: Double = 0
    /// The problems of the last failed reload, one per line; nil after a success.
    package var lastReloadError: String?
    package var groupCount: Int = 0
    package var ruleCount: Int = 0
    /// Evaluations that had at least one failed rule, since start.
    package var failedEvaluations: Int = 0
    /// Evaluations run, since start.
    package var evaluations: Int = 0

    /// The values as `(metric name, value)` pairs, for the server's self-metrics.
    package var metricSamples: [(name: String, value: Double)] {
        [
            ("klaxon_config_last_reload_successful", lastReloadSuccessful ? 1 : 0),
            ("klaxon_config_last_reload_success_timestamp_seconds", lastReloadSuccessTimestampSeconds),
            ("klaxon_rule_groups", Double(groupCount)),
            ("klaxon_rules", Double(ruleCount)),
            ("klaxon_rule_group_evaluations_total", Double(evaluations)),
            ("klaxon_rule_group_evaluation_failures_total", Double(failedEvaluations)),
        ]
    }
}

/// One group's schedule and last outcome.
package struct RuleGroupStatus: Sendable, Equatable {
    package var key: RuleGroupKey
    /// Milliseconds between interval evaluations.
    package var interval: Int64
    package var ruleCount: Int
    package var evalOnPush: Bool
    /// Unix ms of the last evaluation; nil before the first.
    package var lastEvaluation: Int64?
    /// Unix ms when the next interval evaluation is due.
    package var nextEvaluation: Int64
    /// Rules that failed at the last evaluation, with why.
    package var lastFailures: [RuleError]
}
