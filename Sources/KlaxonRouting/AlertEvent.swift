import KlaxonConfig
import KlaxonMetrics

/// One alert as routing sees it: a firing or resolved instance of a rule, handed over by the rule
/// engine (or restored from the store), with everything a notifier prints.
///
/// Times are Unix milliseconds. The value is routing's own, so the rule engine never learns of
/// routing and notifiers never import the rule engine.
package struct AlertEvent: Sendable, Equatable {
    /// Alertmanager's two alert statuses.
    package enum Status: String, Sendable, Hashable {
        case firing
        case resolved
    }

    /// The identity of the alert: the fingerprint of `labels`, as Alertmanager computes it.
    package var fingerprint: Fingerprint
    /// `alertname`, the series labels and the rule's labels (no `__name__`).
    package var labels: Labels
    /// The rule's annotations, templated, in name order.
    package var annotations: [Label]
    package var status: Status
    /// When the condition started to hold (the alert went pending).
    package var activeAt: Int64
    /// When the alert fired: Alertmanager's `startsAt`.
    package var startsAt: Int64
    /// When it resolved; nil while firing.
    package var resolvedAt: Int64?
    /// The expression's value at the last evaluation.
    package var value: Double
    /// Link to the expression in a Prometheus-style UI (`/graph?g0.expr=…`).
    package var generatorURL: String
    /// When the sample that caused the event arrived (for the end-to-end latency), if known.
    package var observedAt: Int64?

    package init(
        labels: Labels, annotations: [Label] = [], status: Status, activeAt: Int64, startsAt: Int64,
        resolvedAt: Int64? = nil, value: Double = 0, generatorURL: String = "", observedAt: Int64? = nil
    ) {
        self.fingerprint = Fingerprint(labels)
        self.labels = labels
        self.annotations = annotations
        self.status = status
        self.activeAt = activeAt
        self.startsAt = startsAt
        self.resolvedAt = resolvedAt
        self.value = value
        self.generatorURL = generatorURL
        self.observedAt = observedAt
    }

    /// `alertname`, or "" when missing.
    package var alertName: String { labels["alertname"] ?? "" }

    /// The `severity` label as a P-level; alerts without a valid one are routed as P3.
    package var severity: Severity { labels["severity"].flatMap(Severity.init(name:)) ?? .p3 }

    /// The `source` label (RateLimiter, ExchangeHealth, …), or "" when missing.
    package var source: String { labels["source"] ?? "" }

    /// The `rule_id` label (D75.HEALTH.FROZEN, …), or "" when missing.
    package var ruleID: String { labels["rule_id"] ?? "" }

    /// The annotation `name`, or nil.
    package func annotation(_ name: String) -> String? {
        annotations.first { $0.name == name }?.value
    }

    /// Alertmanager's `endsAt` for a resolved alert; nil while firing.
    package var endsAt: Int64? { resolvedAt }

    package static func == (lhs: AlertEvent, rhs: AlertEvent) -> Bool {
        lhs.fingerprint == rhs.fingerprint && lhs.labels == rhs.labels && lhs.annotations == rhs.annotations
            && lhs.status == rhs.status && lhs.activeAt == rhs.activeAt && lhs.startsAt == rhs.startsAt
            && lhs.resolvedAt == rhs.resolvedAt && lhs.value.bitPattern == rhs.value.bitPattern
            && lhs.generatorURL == rhs.generatorURL && lhs.observedAt == rhs.observedAt
    }
}
