import Foundation
import KlaxonConfig
import KlaxonMetrics
import KlaxonNotifiers
import KlaxonRouting
import KlaxonRules
import KlaxonRuntime
import KlaxonStore

/// The durable half of alerting as `serve` runs it: the store, its writer, and the routing
/// engine restored from what the previous run left.
package final class RoutingStack: Sendable {
    /// How long a routing step waits for its writes to be durable before delivering anyway.
    static let durabilityTimeout = Duration.seconds(2)

    package let store: any AlertStore
    package let writer: StoreWriter
    package let engine: RoutingEngine
    /// Sends the outbox to the receivers.
    package let delivery: DeliveryService
    /// The instance name every row and audit record carries.
    package let instance: String
    private let logger: Logger

    /// Opens (and migrates) the store, restores the router's silences, acks and state, and
    /// builds the engine and the delivery of `receivers:` (plus the log, plus `extraNotifiers`
    /// such as the demo's console, known to routing by their names).
    package init(
        configuration: KlaxonConfiguration, externalURL: String, clock: any WallClock, logger: Logger,
        deliveryMetrics: DeliveryMetrics? = nil, transport: any HTTPTransport = URLSessionTransport(),
        extraNotifiers: [any Notifier] = []
    ) throws(KlaxonServerError) {
        let instance = configuration.storeInstance(hostname: ProcessInfo.processInfo.hostName)
        let store: any AlertStore
        do {
            store = try AlertStoreFactory.open(
                configuration.store, dataDirectory: configuration.dataDirectory, instance: instance, clock: clock)
        } catch {
            throw KlaxonServerError(
                message: "cannot open the alert store \(configuration.store): \(error.message); "
                    + "fix store.url, or the data directory's permissions, and start again")
        }
        var receivers = ConfiguredReceivers(configuration.receivers, transport: transport, logger: logger, clock: clock)
        receivers.notifiers.insert(contentsOf: extraNotifiers, at: 0)
        let receiverNames = configuration.receivers.map(\.name) + extraNotifiers.map(\.receiver)
        var router = Router(
            settings: RouterSettings(
                routing: configuration.routing, environment: configuration.environment, instance: instance,
                externalURL: externalURL, configuredReceivers: Set(receiverNames)))
        do {
            let snapshot = try store.routingState(key: RouterSnapshot.storeKey).map(RouterSnapshot.init(decoding:))
            try router.restore(snapshot, silences: store.silences(), acks: store.acks(), now: clock.nowMilliseconds())
        } catch {
            throw KlaxonServerError(
                message: "cannot restore routing state from the alert store: \(error.message); "
                    + "the store may be damaged: move it aside to start afresh")
        }
        let writer = StoreWriter(store: store, logger: logger)
        self.store = store
        self.writer = writer
        self.instance = instance
        self.logger = logger
        let lateEngine = LateBound<RoutingEngine>()
        var kinds = Dictionary(configuration.receivers.map { ($0.name, $0.kind.key) }, uniquingKeysWith: { $1 })
        kinds[RouterSettings.logReceiver] = "log"
        for notifier in extraNotifiers { kinds[notifier.receiver] = notifier.receiver }
        deliveryMetrics?.prepare(receivers: kinds.keys.sorted())
        let delivery = DeliveryService(
            receivers: receivers, kinds: kinds, store: store, writer: writer, claims: store is PostgresAlertStore,
            clock: clock, logger: logger, metrics: deliveryMetrics,
            onHealth: { transitions in
                lateEngine.value?.submit(transitions.map { Self.notifierFailingEvent($0, clock: clock) })
            })
        self.delivery = delivery
        let engine = RoutingEngine(
            router: router, clock: clock, logger: logger,
            persist: { writes in
                if !writer.submitAndWait(writes, timeout: Self.durabilityTimeout) {
                    logger.warning(
                        "routing step not yet durable; delivering anyway",
                        ["store.spooled_writes": String(writer.stats.spooledWrites)])
                }
            },
            deliver: { entries in delivery.enqueue(entries) })
        self.engine = engine
        lateEngine.value = engine
        retention = AuditRetentionService(
            store: store, retentionMilliseconds: configuration.store.auditRetentionMilliseconds, clock: clock,
            logger: logger)
    }

    /// Prunes the audit trail past `store.audit_retention`.
    package let retention: AuditRetentionService

    /// The writer first (so it is up before routing persists), then delivery, the engine and
    /// audit retention.
    package var services: [any Service] { [writer, delivery, engine, retention] }

    /// `KlaxonNotifierFailing{receiver=…}` (P1, source Klaxon) firing or resolved.
    static func notifierFailingEvent(_ transition: ReceiverHealth.Transition, clock: any WallClock) -> AlertEvent {
        let now = clock.nowMilliseconds()
        let receiver: String
        let since: Int64
        let status: AlertEvent.Status
        var annotations: [Label] = []
        switch transition {
        case .failing(let name, let failingSince, let lastError):
            (receiver, since, status) = (name, failingSince, .firing)
            annotations = [
                Label("description", lastError),
                Label("summary", "Receiver \(name) keeps failing; its notifications go to its fallbacks."),
            ]
        case .recovered(let name):
            (receiver, since, status) = (name, now, .resolved)
        }
        let labels = Labels([
            "alertname": RouterSettings.notifierFailingAlert, "receiver": receiver, "severity": "P1",
            "source": "Klaxon",
        ])
        return AlertEvent(
            labels: labels, annotations: annotations, status: status, activeAt: since, startsAt: since,
            resolvedAt: status == .resolved ? now : nil, value: 1)
    }

    /// Whether the store's last write went through, and what waits to be written.
    package var storeHealth: StoreHealth {
        let stats = writer.stats
        return StoreHealth(
            kind: store is PostgresAlertStore ? "postgres" : "sqlite", up: stats.lastError == nil,
            lastError: stats.lastError?.message, spooledWrites: stats.spooledWrites)
    }

    /// Puts the alerts saved by the previous run back into the loaded rules; call it once the
    /// rule files are loaded.
    package func restoreAlerts(into rules: RuleManager) {
        let saved: [PersistedAlert]
        do {
            saved = try store.activeAlerts()
        } catch {
            logger.error("saved alerts could not be read; rules start afresh", ["error": error.message])
            return
        }
        let restorable = AlertHandoff.restored(saved, groups: rules.groups.map(\.key))
        let left = rules.restore(restorable)
        logger.info(
            "alert state restored",
            ["alerts.saved": String(saved.count), "alerts.restored": String(restorable.count - left.count)])
    }

    /// The handoff the rule manager's notify calls: events to routing, group state to the store.
    package func handoff(rules: @escaping @Sendable () -> RuleManager?, externalURL: String) -> AlertHandoff {
        AlertHandoff(
            submit: { [engine] events in engine.submit(events) },
            persist: { [writer] writes in writer.submit(writes) },
            groupAlerts: { key in
                (rules()?.alerts ?? []).filter { $0.group == key }.map { ($0.rule, $0.alert) }
            },
            generatorURL: { key, rule in
                let definition = rules()?.groups.first { $0.key == key }?.rules.first { $0.name == rule }
                guard case .alerting(let alerting) = definition?.kind else { return "" }
                return alerting.generatorURL(externalURL: externalURL)
            })
    }
}
