import KlaxonHTTP
import KlaxonMetrics
import KlaxonRules
import Synchronization

/// Klaxon's own HTTP and store metrics (`klaxon_*`), registered once in the shared registry.
///
/// `klaxon_build_info{version,swift,platform} 1`, `klaxon_http_requests_total{handler,code}`,
/// `klaxon_http_request_duration_seconds{handler}`, `klaxon_series` (live series) and the rule
/// manager's status (`klaxon_rules_*`, `klaxon_rule_group_*`) and the HTTP connection counts
/// (`klaxon_http_connections*`), refreshed before each render.
package final class ServerMetrics: Sendable {
    /// Upper bounds of the request-duration histogram: most answers take well under a millisecond,
    /// a large `/metrics` or query a few hundred.
    package static let durationBuckets = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    private let requests: InstrumentFamily<Counter>
    private let durations: InstrumentFamily<Histogram>
    private let series: Gauge
    private let storedSeries: Gauge
    /// `klaxon_store_bytes{kind}`: samples, labels, index.
    private let storeBytes: [Gauge]
    private let ruleGauges: [String: Gauge]
    private let ruleCounters: [String: Counter]
    /// The rule status values last mirrored into the counters, which only move by increments.
    private let mirrored = Mutex<[String: Double]>([:])
    private let openConnections: Gauge
    private let evictedConnections: Counter
    private let refusedConnections: Counter
    /// The connection counts last mirrored into the counters.
    private let mirroredConnections = Mutex(HTTPConnectionCounters.Snapshot())

    /// Registers the families in `registry`.
    package init(registry: MetricRegistry) throws(MetricRegistryError) {
        let build = try registry.gauge(
            "klaxon_build_info",
            help: "A metric with a constant '1' value labeled by the version Klaxon was built from.",
            labelNames: ["version", "swift", "platform"])
        build.labels(KlaxonVersion.version, KlaxonVersion.swiftCompiler, KlaxonVersion.platform).set(1)
        requests = try registry.counter(
            "klaxon_http_requests_total", help: "HTTP requests answered, by handler and status code.",
            labelNames: ["handler", "code"])
        durations = try registry.histogram(
            "klaxon_http_request_duration_seconds", help: "Time from a parsed request to its response, by handler.",
            labelNames: ["handler"], buckets: Self.durationBuckets)
        series = try registry.gauge("klaxon_series", help: "Series currently live in the store (shown on /metrics).")
            .labels()
        storedSeries = try registry.gauge(
            "klaxon_series_stored", help: "Series kept in memory, stale ones still inside the retention included."
        ).labels()
        let bytes = try registry.gauge(
            "klaxon_store_bytes",
            help: "Memory the series store holds, by kind: samples (compressed chunks, exact), labels and index "
                + "(estimated from their structures).",
            labelNames: ["kind"])
        storeBytes = [bytes.labels("samples"), bytes.labels("labels"), bytes.labels("index")]
        var gauges: [String: Gauge] = [:]
        var counters: [String: Counter] = [:]
        for (name, help) in Self.ruleStatusHelp {
            if name.hasSuffix("_total") {
                counters[name] = try registry.counter(name, help: help).labels()
            } else {
                gauges[name] = try registry.gauge(name, help: help).labels()
            }
        }
        ruleGauges = gauges
        ruleCounters = counters
        openConnections = try registry.gauge(
            "klaxon_http_connections", help: "HTTP connections open, idle ones included."
        ).labels()
        evictedConnections = try registry.counter(
            "klaxon_http_connections_evicted_total",
            help: "Idle or half-sent HTTP connections closed to admit a new client at server.max_connections."
        ).labels()
        refusedConnections = try registry.counter(
            "klaxon_http_connections_refused_total",
            help: "New HTTP clients answered 503 because every connection was busy with a response."
        ).labels()
    }

    /// Copies the HTTP server's connection counts into the instruments.
    package func update(from connections: HTTPConnectionCounters.Snapshot) {
        openConnections.set(Double(connections.open))
        mirroredConnections.withLock { last in
            evictedConnections.increment(by: Double(max(0, connections.evicted - last.evicted)))
            refusedConnections.increment(by: Double(max(0, connections.refused - last.refused)))
            last.evicted = max(last.evicted, connections.evicted)
            last.refused = max(last.refused, connections.refused)
        }
    }

    /// Counts one answered request and its duration.
    package func observe(handler: String, code: Int, seconds: Double) {
        requests.labels(handler, String(code)).increment()
        durations.labels(handler).observe(seconds)
    }

    /// Copies the store's numbers into the gauges.
    package func update(from statistics: SeriesStoreStatistics) {
        series.set(Double(statistics.liveSeries))
        storedSeries.set(Double(statistics.storedSeries))
        let memory = statistics.memory
        for (gauge, bytes) in zip(storeBytes, [memory.samples, memory.labels, memory.index]) {
            gauge.set(Double(bytes))
        }
    }

    /// Copies the rule manager's status into the instruments; names not listed below are left out.
    package func update(from status: RuleManagerStatus) {
        let samples = status.metricSamples
        mirrored.withLock { last in
            for (name, value) in samples {
                if let gauge = ruleGauges[name] {
                    gauge.set(value)
                } else if let counter = ruleCounters[name] {
                    counter.increment(by: value - (last[name] ?? 0))
                    last[name] = max(value, last[name] ?? 0)
                }
            }
        }
    }

    /// Every status value the rule manager reports, with its help text.
    private static let ruleStatusHelp = [
        "klaxon_config_last_reload_successful": "Whether the last rule reload succeeded (1) or failed (0).",
        "klaxon_config_last_reload_success_timestamp_seconds": "Unix time of the last successful rule reload.",
        "klaxon_rule_groups": "Rule groups loaded.",
        "klaxon_rules": "Rules loaded.",
        "klaxon_rule_group_evaluations_total": "Rule group evaluations run.",
        "klaxon_rule_group_evaluation_failures_total": "Rule group evaluations in which at least one rule failed.",
    ]
}
