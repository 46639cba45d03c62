import Foundation
import KlaxonConfig
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
    /// The instance name every row and audit record carries.
    package let instance: String
    private let logger: Logger

    /// Opens (and migrates) the store, restores the router's silences, acks and state, and
    /// builds the engine. `deliver` receives each durable step's outbox entries.
    package init(
        configuration: KlaxonConfiguration, configuredReceivers: Set<String>, externalURL: String,
        clock: any WallClock, logger: Logger, deliver: @escaping RoutingEngine.Deliver
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
        var router = Router(
            settings: RouterSettings(
                routing: configuration.routing, environment: configuration.environment, instance: instance,
                externalURL: externalURL, configuredReceivers: configuredReceivers))
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
        engine = RoutingEngine(
            router: router, clock: clock, logger: logger,
            persist: { writes in
                if !writer.submitAndWait(writes, timeout: Self.durabilityTimeout) {
                    logger.warning(
                        "routing step not yet durable; delivering anyway",
                        ["store.spooled_writes": String(writer.stats.spooledWrites)])
                }
            },
            deliver: deliver)
    }

    /// The writer first (so it is up before routing persists), then the engine.
    package var services: [any Service] { [writer, engine] }

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
