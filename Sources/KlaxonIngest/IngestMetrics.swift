import KlaxonMetrics

/// Klaxon's own counters about ingestion, registered once in the shared `MetricRegistry`.
///
/// `klaxon_ingested_samples_total{path}`, `klaxon_rejected_batches_total{path,reason}` and
/// `klaxon_scrape_duration_seconds{job,instance}` (the last scrape's duration, as a gauge).
package struct IngestMetrics: Sendable {
    /// Where samples come in, the `path` label.
    package enum Path: String, Sendable, CaseIterable {
        case pushgateway
        case json
        case scrape
    }

    private let ingested: InstrumentFamily<Counter>
    private let rejected: InstrumentFamily<Counter>
    private let scrapeDuration: InstrumentFamily<Gauge>

    /// Registers the families in `registry` (registering twice returns the same families).
    package init(registry: MetricRegistry) throws(MetricRegistryError) {
        ingested = try registry.counter(
            "klaxon_ingested_samples_total", help: "Samples accepted into the series store, by ingestion path.",
            labelNames: ["path"])
        rejected = try registry.counter(
            "klaxon_rejected_batches_total",
            help: "Pushes and scrapes refused whole, by ingestion path and reason.", labelNames: ["path", "reason"])
        scrapeDuration = try registry.gauge(
            "klaxon_scrape_duration_seconds", help: "Duration of the last scrape of a target, in seconds.",
            labelNames: ["job", "instance"])
        // Every series a dashboard sums exists from the start, at zero, so `increase` sees the first refusal.
        for path in Path.allCases {
            _ = ingested.labels(path.rawValue)
            for reason in IngestRejection.Reason.allCases where reason != .unreachable || path == .scrape {
                _ = rejected.labels(path.rawValue, reason.rawValue)
            }
        }
    }

    /// Metrics that go nowhere, for tests that do not look at them.
    package static func unregistered() -> IngestMetrics {
        // A fresh registry cannot hold a clashing family, so registration cannot fail here.
        do {
            return try IngestMetrics(registry: MetricRegistry())
        } catch {
            preconditionFailure("registering ingest self-metrics in an empty registry failed: \(error)")
        }
    }

    /// Counts `count` accepted samples on `path`.
    package func ingested(_ count: Int, path: Path) {
        ingested.labels(path.rawValue).increment(by: Double(count))
    }

    /// Counts one refused batch.
    package func rejected(path: Path, reason: IngestRejection.Reason) {
        rejected.labels(path.rawValue, reason.rawValue).increment()
    }

    /// Records the duration of the last scrape of a target.
    package func scraped(job: String, instance: String, seconds: Double) {
        scrapeDuration.labels(job, instance).set(seconds)
    }
}

/// Why a push was refused: the reason class for self-metrics, the HTTP status and a message.
package struct IngestRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `reason` label of `klaxon_rejected_batches_total`.
    package enum Reason: String, Sendable, CaseIterable {
        /// The push URL or a name in it is malformed.
        case path
        /// The body did not parse.
        case parse
        /// The body's media type is not supported.
        case mediaType = "media_type"
        /// The body holds something the API refuses (timestamps on a Pushgateway push, bad values).
        case invalid
        /// Types or series clash with what is stored or within the batch.
        case conflict
        /// The series limit would be exceeded.
        case limit
        /// The body or the batch is larger than allowed.
        case tooLarge = "too_large"
        /// The scrape target did not answer, or not with 2xx.
        case unreachable
    }

    package var reason: Reason
    package var status: Int
    package var message: String

    package init(_ reason: Reason, status: Int = 400, _ message: String) {
        self.reason = reason
        self.status = status
        self.message = message
    }

    package var description: String { message }

    /// The reason class of a store refusal.
    static func reason(for error: SeriesStoreError) -> Reason {
        switch error.kind {
        case .seriesLimit: .limit
        case .invalidName, .sampleOutsideFamily: .invalid
        case .duplicateFamily, .duplicateSeries, .typeConflict, .nameClash, .seriesOwnedElsewhere: .conflict
        }
    }
}
