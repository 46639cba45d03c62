import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting

/// Alerts and notifications for notifier tests, at fixed times.
enum Fixtures {
    /// 2026-01-01T00:00:00Z.
    static let t0: Int64 = 1_767_225_600_000

    static func alert(
        _ name: String = "ExchangeFrozen", severity: String = "P0", labels: [String: String] = ["venue": "binance"],
        annotations: [String: String] = ["summary": "Order book frozen"], status: AlertEvent.Status = .firing,
        startsAt: Int64 = t0, resolvedAt: Int64? = nil, value: Double = 1
    ) -> AlertEvent {
        var all = labels
        all["alertname"] = name
        all["severity"] = severity
        return AlertEvent(
            labels: Labels(all), annotations: annotations.sorted { $0.key < $1.key }.map { Label($0.key, $0.value) },
            status: status, activeAt: startsAt, startsAt: startsAt, resolvedAt: resolvedAt, value: value,
            generatorURL: "http://klaxon.example/graph?g0.expr=up")
    }

    static func notification(
        _ alerts: [AlertEvent], id: String = "n-1", receiver: String = "oncall", kind: Notification.Kind = .alerts,
        severity: Severity = .p0, createdAt: Int64 = t0
    ) -> Notification {
        Notification(
            id: id, receiver: receiver, kind: kind, groupKey: "{}:{alertname=\"ExchangeFrozen\"}",
            groupLabels: Labels(["alertname": "ExchangeFrozen"]), severity: severity, alerts: alerts,
            createdAt: createdAt, externalURL: "http://klaxon.example")
    }
}
