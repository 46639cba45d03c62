import KlaxonMetrics
import KlaxonRouting
import KlaxonStore
import Synchronization

/// Self-metrics of routing and the store: the event queue, what each stage held back, and the
/// store writer's health. Mirrored from their counters before each `/metrics` render.
package final class RoutingMetrics: Sendable {
    private let queued: Gauge
    private let dropped: Counter
    private let notifications: Counter
    private let suppressed: InstrumentFamily<Counter>
    private let spooled: Gauge
    private let storeErrors: Counter
    private let storeTransactions: Counter
    private let storeWriteSeconds: Counter
    private let storeLastWriteSeconds: Gauge
    private let storeRejected: Counter
    private let storeOverflowed: Counter
    private let storeUp: Gauge
    /// The counter values last mirrored, by name, since instruments only move by increments.
    private let mirrored = Mutex<[String: Double]>([:])

    /// Registers the families in `registry`.
    package init(registry: MetricRegistry) throws(MetricRegistryError) {
        queued = try registry.gauge(
            "klaxon_routing_queue_length", help: "Alert events waiting for the routing thread."
        ).labels()
        dropped = try registry.counter(
            "klaxon_routing_events_dropped_total", help: "Alert events refused because the routing queue was full."
        ).labels()
        notifications = try registry.counter(
            "klaxon_notifications_queued_total", help: "Notifications written to the outbox, one per receiver."
        ).labels()
        suppressed = try registry.counter(
            "klaxon_alerts_suppressed_total", help: "Alerts a routing stage held back, by stage.",
            labelNames: ["stage"])
        spooled = try registry.gauge(
            "klaxon_store_spooled_writes", help: "Store writes waiting for the database (grows while it is away)."
        ).labels()
        storeErrors = try registry.counter(
            "klaxon_store_errors_total", help: "Store transactions that failed (retried when the database was away)."
        ).labels()
        storeTransactions = try registry.counter(
            "klaxon_store_transactions_total", help: "Store transactions committed."
        ).labels()
        storeWriteSeconds = try registry.counter(
            "klaxon_store_write_seconds_total", help: "Time spent in committed store transactions."
        ).labels()
        storeLastWriteSeconds = try registry.gauge(
            "klaxon_store_last_write_seconds", help: "Duration of the last committed store transaction."
        ).labels()
        storeRejected = try registry.counter(
            "klaxon_store_rejected_writes_total", help: "Store writes the database refused for good (dropped, logged)."
        ).labels()
        storeOverflowed = try registry.counter(
            "klaxon_store_overflowed_writes_total", help: "Store writes refused because the spool was full (logged)."
        ).labels()
        storeUp = try registry.gauge(
            "klaxon_store_up", help: "1 when the last store transaction succeeded, 0 while the database is failing."
        ).labels()
    }

    /// Copies the engine's and the writer's counters into the instruments.
    package func update(routing: RoutingCounters, store: StoreWriterStats) {
        queued.set(Double(routing.queued))
        spooled.set(Double(store.spooledWrites))
        storeLastWriteSeconds.set(store.lastWriteSeconds)
        storeUp.set(store.lastError == nil ? 1 : 0)
        mirrored.withLock { last in
            func mirror(_ name: String, _ value: Double, into counter: Counter) {
                counter.increment(by: max(0, value - (last[name] ?? 0)))
                last[name] = max(value, last[name] ?? 0)
            }
            mirror("dropped", Double(routing.dropped), into: dropped)
            mirror("notifications", Double(routing.notifications), into: notifications)
            for stage in SuppressionStage.allCases {
                mirror(
                    "suppressed." + stage.rawValue, Double(routing.suppressed[stage] ?? 0),
                    into: suppressed.labels(stage.rawValue))
            }
            mirror("store.errors", Double(store.errors), into: storeErrors)
            mirror("store.transactions", Double(store.transactions), into: storeTransactions)
            mirror("store.seconds", store.writeSecondsTotal, into: storeWriteSeconds)
            mirror("store.rejected", Double(store.rejectedWrites), into: storeRejected)
            mirror("store.overflowed", Double(store.overflowedWrites), into: storeOverflowed)
        }
    }
}
