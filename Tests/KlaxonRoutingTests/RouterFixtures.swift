import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting

/// Builds alert events and routers for the routing tests.
enum RouterFixtures {
    static let allReceivers: Set<String> = ["telegram", "slack", "email"]

    static func router(
        _ environment: DeploymentEnvironment = .prod, receivers: Set<String> = allReceivers,
        configure: (inout RoutingConfiguration) -> Void = { _ in }
    ) -> Router {
        var routing = RoutingConfiguration()
        configure(&routing)
        return Router(
            settings: RouterSettings(
                routing: routing, environment: environment, instance: "klaxon-1", configuredReceivers: receivers))
    }

    static func firing(
        _ name: String, _ severity: Severity, source: String = "System", ruleID: String = "", at time: Int64 = 0,
        _ extra: [String: String] = [:]
    ) -> AlertEvent {
        var labels = ["alertname": name, "severity": severity.name, "source": source]
        if !ruleID.isEmpty { labels["rule_id"] = ruleID }
        labels.merge(extra) { $1 }
        return AlertEvent(
            labels: Labels(labels), annotations: [Label("summary", "\(name) fired")], status: .firing, activeAt: time,
            startsAt: time, value: 1)
    }

    static func resolved(_ event: AlertEvent, at time: Int64) -> AlertEvent {
        var copy = event
        copy.status = .resolved
        copy.resolvedAt = time
        return copy
    }
}

extension RoutingOutput {
    /// The receivers of the queued notifications, in order.
    var receivers: [String] { notifications.map(\.receiver) }

    /// The stages of the suppressions recorded, in order.
    var stages: [SuppressionStage] { auditRecords.compactMap(\.stage) }

    func kinds(_ kind: AuditKind) -> [AuditRecord] { auditRecords.filter { $0.kind == kind } }
}
