import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting

/// Values the store tests write, built the way routing builds them.
enum StoreFixtures {
    static func alert(
        _ name: String, severity: String = "P1", source: String = "ExchangeHealth", extra: [String: String] = [:],
        status: AlertEvent.Status = .firing, value: Double = 1
    ) -> AlertEvent {
        var labels = ["alertname": name, "severity": severity, "source": source, "rule_id": "D75.\(name)"]
        labels.merge(extra) { _, new in new }
        return AlertEvent(
            labels: Labels(labels), annotations: [Label("summary", "\(name) on binance"), Label("runbook", "")],
            status: status, activeAt: 1_000, startsAt: 2_000, resolvedAt: status == .resolved ? 3_000 : nil,
            value: value, generatorURL: "http://klaxon/graph?g0.expr=up", observedAt: 1_500)
    }

    static func audit(_ kind: AuditKind, _ alert: AlertEvent, at time: Int64, receiver: String = "") -> AuditRecord {
        var record = AuditRecord(time: time, kind: kind, alert: alert, detail: "\(kind.rawValue) at \(time)")
        record.receiver = receiver
        return record
    }

    static func notification(
        id: String, receiver: String = "telegram", createdAt: Int64 = 10_000, alerts: [AlertEvent]? = nil
    ) -> Notification {
        Notification(
            id: id, receiver: receiver, groupKey: "{}:{alertname=\"Frozen\"}",
            groupLabels: Labels(["alertname": "Frozen"]), severity: .p0,
            alerts: alerts ?? [alert("Frozen", severity: "P0")], createdAt: createdAt,
            externalURL: "http://klaxon:9477")
    }

    static func entry(_ notification: Notification, dueAt: Int64) -> OutboxEntry {
        OutboxEntry(notification: notification, nextAttemptAt: dueAt, updatedAt: notification.createdAt)
    }

    static func persisted(_ rule: String, group: String, venue: String) -> PersistedAlert {
        PersistedAlert(
            group: group, rule: rule,
            labels: Labels(["alertname": rule, "severity": "P1", "venue": venue]),
            annotations: [Label("summary", "\(rule) ✓ \(venue)"), Label("a", "")], state: "firing", value: 0.25,
            activeAt: 1_000, firedAt: 2_000, keepFiringSince: nil, lastSentAt: 2_500, validUntil: 9_000)
    }
}
