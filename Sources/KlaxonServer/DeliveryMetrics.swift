import KlaxonMetrics
import KlaxonRouting

/// Self-metrics of delivery: attempts by receiver and outcome, retries, the outbox backlog, and
/// the time from routing (and from the sample's arrival) to the receiver's 2xx.
package final class DeliveryMetrics: Sendable {
    /// Seconds: a page should take milliseconds; a retried one, seconds to minutes.
    static let latencyBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]

    private let attempts: InstrumentFamily<Counter>
    private let retries: InstrumentFamily<Counter>
    private let deliveryLatency: InstrumentFamily<Histogram>
    private let endToEnd: InstrumentFamily<Histogram>
    private let backlog: Gauge
    private let oldest: Gauge

    /// Registers the families in `registry`.
    package init(registry: MetricRegistry) throws(MetricRegistryError) {
        attempts = try registry.counter(
            "klaxon_notifications_total",
            help: "Delivery attempts by receiver and result (sent, or the failure's class).",
            labelNames: ["receiver", "result"])
        retries = try registry.counter(
            "klaxon_notification_retries_total", help: "Delivery attempts after the first, by receiver.",
            labelNames: ["receiver"])
        deliveryLatency = try registry.histogram(
            "klaxon_notification_delivery_seconds",
            help: "From routing's decision to the receiver's acceptance, by receiver.", labelNames: ["receiver"],
            buckets: Self.latencyBuckets)
        endToEnd = try registry.histogram(
            "klaxon_alert_end_to_end_seconds",
            help: "From the arrival of the sample that changed an alert to the receiver's acceptance, by receiver.",
            labelNames: ["receiver"], buckets: Self.latencyBuckets)
        backlog = try registry.gauge(
            "klaxon_outbox_entries", help: "Notifications waiting for delivery or a retry."
        ).labels()
        oldest = try registry.gauge(
            "klaxon_outbox_oldest_age_seconds", help: "Age of the oldest notification waiting (0 when none)."
        ).labels()
    }

    /// Creates each receiver's sent and retry counters at zero, so they exist before its first
    /// notification and `increase` over them counts the first one.
    package func prepare(receivers: [String]) {
        for receiver in receivers {
            _ = attempts.labels(receiver, "sent")
            _ = retries.labels(receiver)
        }
    }

    /// Counts one finished attempt at `entry`.
    func observe(_ entry: OutboxEntry, result: DeliveryResult, at now: Int64) {
        let receiver = entry.receiver
        if entry.attempts > 0 { retries.labels(receiver).increment() }
        switch result {
        case .delivered:
            attempts.labels(receiver, "sent").increment()
            let routed = now.subtractingReportingOverflow(entry.notification.createdAt).partialValue
            deliveryLatency.labels(receiver).observe(Double(max(0, routed)) / 1000)
            for alert in entry.notification.alerts {
                guard let observedAt = alert.observedAt else { continue }
                let elapsed = now.subtractingReportingOverflow(observedAt).partialValue
                endToEnd.labels(receiver).observe(Double(max(0, elapsed)) / 1000)
            }
        case .failed(let error, _):
            attempts.labels(receiver, error.errorClass.rawValue).increment()
        }
    }

    /// Mirrors the delivery backlog before a render.
    package func update(backlog: (count: Int, oldestCreatedAt: Int64?), now: Int64) {
        self.backlog.set(Double(backlog.count))
        let age = backlog.oldestCreatedAt.map { now.subtractingReportingOverflow($0).partialValue } ?? 0
        oldest.set(Double(max(0, age)) / 1000)
    }
}
