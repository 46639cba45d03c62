import KlaxonConfig
import KlaxonMetrics

/// One message for one receiver: a group of alerts (or a summary) as it leaves routing.
///
/// Written to the outbox before any delivery, so it survives a restart. `id` is the idempotency
/// key: the same incident routed by two Klaxons of an HA pair gets the same id, and the one that
/// claims it first in the shared database sends it.
package struct Notification: Sendable, Equatable {
    /// Why the message exists.
    package enum Kind: Sendable, Equatable {
        /// New, changed or repeated alerts of a group (firing and/or resolved).
        case alerts
        /// An unacked P0/P1 re-sent to the escalation receivers; `step` counts from 1.
        case escalation(step: Int)
        /// Alerts the rate limiter held back in one window.
        case rateLimitSummary(RateLimitSummary)
    }

    package var id: String
    package var receiver: String
    package var kind: Kind
    /// The aggregation group (Alertmanager's `groupKey`).
    package var groupKey: String
    /// The `group_by` labels shared by the group.
    package var groupLabels: Labels
    /// Highest urgency among the alerts (or the summary's).
    package var severity: Severity
    /// Firing alerts first, then resolved ones, each in fingerprint order.
    package var alerts: [AlertEvent]
    /// Unix milliseconds when routing created it.
    package var createdAt: Int64
    /// Base URL of this Klaxon's UI/API for links (`external_url`).
    package var externalURL: String

    package init(
        id: String, receiver: String, kind: Kind = .alerts, groupKey: String, groupLabels: Labels = .empty,
        severity: Severity, alerts: [AlertEvent], createdAt: Int64, externalURL: String = ""
    ) {
        self.id = id
        self.receiver = receiver
        self.kind = kind
        self.groupKey = groupKey
        self.groupLabels = groupLabels
        self.severity = severity
        self.alerts = alerts
        self.createdAt = createdAt
        self.externalURL = externalURL
    }

    /// `firing` when any alert fires, else `resolved` (Alertmanager's group status).
    package var status: AlertEvent.Status {
        alerts.contains { $0.status == .firing } ? .firing : .resolved
    }

    /// The alerts still firing.
    package var firing: [AlertEvent] { alerts.filter { $0.status == .firing } }

    /// The alerts that resolved.
    package var resolved: [AlertEvent] { alerts.filter { $0.status == .resolved } }

    /// Labels every alert shares (Alertmanager's `commonLabels`).
    package var commonLabels: Labels {
        guard var common = alerts.first?.labels.pairs else { return .empty }
        for alert in alerts.dropFirst() { common.removeAll { alert.labels[$0.name] != $0.value } }
        return Labels(sortedUnchecked: common)
    }

    /// Annotations every alert shares (Alertmanager's `commonAnnotations`).
    package var commonAnnotations: [Label] {
        guard var common = alerts.first?.annotations else { return [] }
        for alert in alerts.dropFirst() { common.removeAll { alert.annotation($0.name) != $0.value } }
        return common
    }
}

/// What one rate-limit window held back for one (severity, source).
package struct RateLimitSummary: Sendable, Equatable {
    package var severity: Severity
    package var source: String
    /// How many notifications were held back.
    package var suppressed: Int
    /// Alert names held back, most frequent first, at most a handful.
    package var alertNames: [String]
    /// The window, Unix milliseconds.
    package var windowStart: Int64
    package var windowEnd: Int64

    package init(
        severity: Severity, source: String, suppressed: Int, alertNames: [String], windowStart: Int64,
        windowEnd: Int64
    ) {
        self.severity = severity
        self.source = source
        self.suppressed = suppressed
        self.alertNames = alertNames
        self.windowStart = windowStart
        self.windowEnd = windowEnd
    }

    /// "12 more P2 alerts from RateLimiter suppressed: A, B"
    package var sentence: String {
        let from = source.isEmpty ? "" : " from \(source)"
        let names = alertNames.isEmpty ? "" : ": " + alertNames.joined(separator: ", ")
        return "\(suppressed) more \(severity.name) alert\(suppressed == 1 ? "" : "s")\(from) suppressed\(names)"
    }
}
