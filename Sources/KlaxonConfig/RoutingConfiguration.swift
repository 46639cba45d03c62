import KlaxonMetrics

/// `routing`: how alerts become notifications — switches, inhibition, grouping, rate limits,
/// the channel policy per environment and escalation. Durations are milliseconds.
package struct RoutingConfiguration: Sendable, Equatable {
    /// `min_severity` (default P3): less urgent alerts are recorded and not notified.
    package var minSeverity = Severity.p3
    /// `disabled_alerts`: alert names or rule_ids recorded and never notified.
    package var disabledAlerts: [String] = []
    /// `group_by` (default alertname): labels that split alerts into groups. Severity and source
    /// always split groups too, so each group has one timing and one rate-limit budget.
    package var groupBy = ["alertname"]
    /// `send_resolved` (default true): notify when a notified alert resolves.
    package var sendResolved = true
    /// `severities`: timings and rate limit of each severity.
    package var timings: [Severity: SeverityTimings] = SeverityTimings.defaults
    /// `inhibit_rules`; defaults mute what a global risk block or a down exchange explains.
    package var inhibitRules = InhibitRule.defaults
    /// `policy`: receiver names per environment and severity ("Telegram first").
    package var policy = ChannelPolicy.telegramFirst
    /// `escalation`: re-sends of unacked urgent alerts.
    package var escalation = EscalationConfiguration()
    /// `skip_throttle` (default false): no rate limit (simulations).
    package var skipThrottle = false

    /// The defaults.
    package init() {}

    /// The timings of `severity` (the defaults when the map lacks it).
    package func timings(for severity: Severity) -> SeverityTimings {
        timings[severity] ?? SeverityTimings.defaults[severity] ?? SeverityTimings(groupWait: 0)
    }
}

/// `routing.severities.P0` …: Alertmanager's group timings plus Klaxon's rate limit.
package struct SeverityTimings: Sendable, Equatable {
    /// `group_wait`: how long a new group waits for more alerts before its first message.
    package var groupWait: Int64
    /// `group_interval`: least time between two messages of one group about changes; 0 sends
    /// each change at once.
    package var groupInterval: Int64
    /// `repeat_interval`: how often a group that did not change is re-sent while firing.
    package var repeatInterval: Int64
    /// `rate_limit`: most messages per (severity, source) per minute; 0 for no limit.
    package var rateLimitPerMinute: Int

    package init(
        groupWait: Int64, groupInterval: Int64 = 0, repeatInterval: Int64 = 3_600_000, rateLimitPerMinute: Int = 0
    ) {
        self.groupWait = groupWait
        self.groupInterval = groupInterval
        self.repeatInterval = repeatInterval
        self.rateLimitPerMinute = rateLimitPerMinute
    }

    /// P0 at once (wait 0s, each change at once, repeat 15m, 10/min); P1 5s/1m/1h, 5/min;
    /// P2 30s/5m/4h, 3/min; P3 5m/30m/24h, 1/min.
    package static let defaults: [Severity: SeverityTimings] = [
        .p0: SeverityTimings(groupWait: 0, groupInterval: 0, repeatInterval: 900_000, rateLimitPerMinute: 10),
        .p1: SeverityTimings(groupWait: 5_000, groupInterval: 60_000, repeatInterval: 3_600_000, rateLimitPerMinute: 5),
        .p2: SeverityTimings(
            groupWait: 30_000, groupInterval: 300_000, repeatInterval: 14_400_000, rateLimitPerMinute: 3),
        .p3: SeverityTimings(
            groupWait: 300_000, groupInterval: 1_800_000, repeatInterval: 86_400_000, rateLimitPerMinute: 1),
    ]
}

/// `routing.inhibit_rules[]`: Alertmanager's inhibition — a firing alert matching
/// `source_matchers` mutes alerts matching `target_matchers` that agree on every `equal` label.
package struct InhibitRule: Sendable, Equatable {
    package var sourceMatchers: [LabelMatcher]
    package var targetMatchers: [LabelMatcher]
    /// Labels that must have the same value on source and target (a missing label equals "").
    package var equal: [String]

    package init(sourceMatchers: [LabelMatcher], targetMatchers: [LabelMatcher], equal: [String]) {
        self.sourceMatchers = sourceMatchers
        self.targetMatchers = targetMatchers
        self.equal = equal
    }

    /// A global risk block mutes the other RiskGuard blocks; an exchange DOWN or FROZEN mutes that
    /// exchange's latency, HTTP 429 and reconnect alerts.
    package static let defaults: [InhibitRule] = {
        func matcher(_ name: String, _ type: MatchType, _ value: String) -> [LabelMatcher] {
            (try? LabelMatcher(name, type, value)).map { [$0] } ?? []
        }
        return [
            InhibitRule(
                sourceMatchers: matcher("rule_id", .equal, "D75.RISK_GUARD.GLOBAL_BLOCK"),
                targetMatchers: matcher("source", .equal, "RiskGuard")
                    + matcher("rule_id", .notEqual, "D75.RISK_GUARD.GLOBAL_BLOCK"),
                equal: []),
            InhibitRule(
                sourceMatchers: matcher("rule_id", .regexMatch, "D75\\.HEALTH\\.(DOWN|FROZEN)"),
                targetMatchers: matcher(
                    "rule_id", .regexMatch,
                    "D75\\.SYSTEM\\.ENGINE_LATENCY|D75\\.RATE_LIMITER\\.HTTP_429|D75\\.SYSTEM\\.WS_RECONNECT_STORM"),
                equal: ["exchange"]),
        ]
    }()
}

/// `routing.policy`: for each environment and severity, the receivers notified.
package struct ChannelPolicy: Sendable, Equatable {
    package var receivers: [DeploymentEnvironment: [Severity: [String]]]

    package init(receivers: [DeploymentEnvironment: [Severity: [String]]]) {
        self.receivers = receivers
    }

    /// The receiver names for `severity` in `environment` (none when unset).
    package func receivers(for severity: Severity, in environment: DeploymentEnvironment) -> [String] {
        receivers[environment]?[severity] ?? []
    }

    /// "Telegram first": prod and staging page P0/P1 on Telegram, P2/P3 audit only; dev sends
    /// P0/P1 to Telegram and Slack, P2 also to email, P3 to email.
    package static let telegramFirst: ChannelPolicy = {
        let production: [Severity: [String]] = [.p0: ["telegram"], .p1: ["telegram"], .p2: [], .p3: []]
        let development: [Severity: [String]] = [
            .p0: ["telegram", "slack"], .p1: ["telegram", "slack"], .p2: ["telegram", "slack", "email"],
            .p3: ["email"],
        ]
        return ChannelPolicy(receivers: [.prod: production, .staging: production, .dev: development])
    }()
}

/// `routing.escalation`: an unacked alert of these severities is re-sent every `after`, at most
/// `max` times, to `receivers` (default: the policy's receivers for its severity).
package struct EscalationConfiguration: Sendable, Equatable {
    /// `severities` (default P0, P1).
    package var severities: [Severity] = [.p0, .p1]
    /// `after` (default 2m).
    package var afterMilliseconds: Int64 = 120_000
    /// `max` (default 5); 0 turns escalation off.
    package var maxSteps = 5
    /// `receivers` (default none: the policy's receivers for the alert's severity).
    package var receivers: [String] = []

    /// The defaults.
    package init() {}
}
