import KlaxonConfig
import KlaxonMetrics

/// Alerts that share severity, source and the `group_by` labels: one message stream with one
/// set of timings (Alertmanager's aggregation group).
struct AggregationGroup: Sendable, Equatable {
    /// `{alertname="…",severity="…",source="…"}`: Alertmanager's groupKey shape.
    let key: String
    let labels: Labels
    let severity: Severity
    let source: String
    /// Firing alerts, and resolved ones not yet flushed.
    var alerts: [Fingerprint: AlertEvent] = [:]
    /// Firing alerts already announced (Alertmanager's notification log for the group).
    var notified: Set<Fingerprint> = []
    var createdAt: Int64
    var lastNotifiedAt: Int64?
    /// When the group should be looked at next; nil when nothing is due.
    var nextFlushAt: Int64?

    init(key: String, labels: Labels, severity: Severity, source: String, createdAt: Int64) {
        self.key = key
        self.labels = labels
        self.severity = severity
        self.source = source
        self.createdAt = createdAt
    }

    /// The group an alert belongs to under `groupBy`.
    static func key(for alert: AlertEvent, groupBy: [String]) -> (key: String, labels: Labels) {
        var pairs = [Label("severity", alert.severity.name), Label("source", alert.source)]
        for name in groupBy where name != "severity" && name != "source" {
            pairs.append(Label(name, alert.labels[name] ?? ""))
        }
        let labels = Labels(pairs)
        return (labels.description, labels)
    }

    /// Something in the group changed at `now`: the first message waits `group_wait` from the
    /// group's creation, later ones `group_interval` from the last message.
    mutating func scheduleChange(at now: Int64, timings: SeverityTimings) {
        let due: Int64
        if let lastNotifiedAt {
            due = max(now, lastNotifiedAt &+ timings.groupInterval)
        } else {
            due = max(now, createdAt &+ timings.groupWait)
        }
        nextFlushAt = min(nextFlushAt ?? due, due)
    }
}
