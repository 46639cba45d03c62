import KlaxonConfig

/// What the router needs to know besides the alerts: the policy, where it runs, who it can reach.
package struct RouterSettings: Sendable {
    package var routing: RoutingConfiguration
    package var environment: DeploymentEnvironment
    /// Written on every audit record (several Klaxons may share one database).
    package var instance: String
    /// Base URL for links in messages (`external_url`).
    package var externalURL: String
    /// Receivers that are configured. A policy entry naming another receiver is skipped; when a
    /// severity's policy names receivers and none is configured, the log receiver gets it.
    package var configuredReceivers: Set<String>

    package init(
        routing: RoutingConfiguration = RoutingConfiguration(), environment: DeploymentEnvironment = .dev,
        instance: String = "", externalURL: String = "", configuredReceivers: Set<String> = []
    ) {
        self.routing = routing
        self.environment = environment
        self.instance = instance
        self.externalURL = externalURL
        self.configuredReceivers = configuredReceivers
    }

    /// The receiver that is always there: log lines on standard error.
    package static let logReceiver = "log"

    /// The alert Klaxon raises about a receiver that keeps failing (label `receiver`); it is
    /// routed like any P1 except to the failing receiver itself.
    package static let notifierFailingAlert = "KlaxonNotifierFailing"

    /// The receivers notified for `severity` in this environment; empty means audit only.
    package func receivers(for severity: Severity) -> [String] {
        let named = routing.policy.receivers(for: severity, in: environment)
        guard !named.isEmpty else { return [] }
        let reachable = named.filter { configuredReceivers.contains($0) || $0 == Self.logReceiver }
        return reachable.isEmpty ? [Self.logReceiver] : reachable
    }

    /// The receivers an escalation of `severity` goes to.
    package func escalationReceivers(for severity: Severity) -> [String] {
        let named = routing.escalation.receivers
        guard !named.isEmpty else { return receivers(for: severity) }
        let reachable = named.filter { configuredReceivers.contains($0) || $0 == Self.logReceiver }
        return reachable.isEmpty ? [Self.logReceiver] : reachable
    }
}

/// What one routing step decided: store writes in order (audit records, outbox entries, acks,
/// silences, state) and how many notifications it queued.
package struct RoutingOutput: Sendable, Equatable {
    package var writes: [StoreWrite] = []
    /// Outbox entries queued by this step; the deliverer is woken when it is above zero.
    package var queued = 0

    package init() {}

    package var isEmpty: Bool { writes.isEmpty }

    /// The audit records among the writes, in order.
    package var auditRecords: [AuditRecord] {
        writes.compactMap { if case .audit(let record) = $0 { record } else { nil } }
    }

    /// The notifications queued, in order.
    package var notifications: [Notification] {
        writes.compactMap { if case .enqueue(let entry) = $0 { entry.notification } else { nil } }
    }

    /// Adds `other` after this output.
    package mutating func append(_ other: RoutingOutput) {
        writes += other.writes
        queued += other.queued
    }
}
