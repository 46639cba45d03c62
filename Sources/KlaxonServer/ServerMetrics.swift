import KlaxonMetrics

/// Klaxon's own HTTP and store metrics (`klaxon_*`), registered once in the shared registry.
///
/// `klaxon_build_info{version,swift,platform} 1`, `klaxon_http_requests_total{handler,code}`,
/// `klaxon_http_request_duration_seconds{handler}` and `klaxon_series` (live series), refreshed
/// before each `/metrics` render.
package struct ServerMetrics: Sendable {
    /// Upper bounds of the request-duration histogram: most answers take well under a millisecond,
    /// a large `/metrics` or query a few hundred.
    package static let durationBuckets = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    private let requests: InstrumentFamily<Counter>
    private let durations: InstrumentFamily<Histogram>
    private let series: Gauge
    private let storedSeries: Gauge

    /// Registers the families in `registry`.
    package init(registry: MetricRegistry) throws(MetricRegistryError) {
        let build = try registry.gauge(
            "klaxon_build_info", help: "A metric with a constant '1' value labeled by the version Klaxon was built from.",
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
    }
}
