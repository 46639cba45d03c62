import KlaxonHTTP
import KlaxonMetrics
import KlaxonRuntime

/// `GET|HEAD /metrics`: Klaxon's own metrics and every live stored series.
///
/// The format follows the scraper's `Accept` header (text 0.0.4 by default, OpenMetrics 1.0.0 on
/// request); the body is gzipped when `Accept-Encoding` allows it.
package struct MetricsEndpoint: Sendable {
    /// The route this endpoint serves.
    package static let path = "/metrics"

    private let registry: MetricRegistry
    private let store: SeriesStore
    private let logger: Logger
    private let refresh: @Sendable () -> Void

    /// `refresh` runs before each render, to bring gauges read from elsewhere up to date.
    package init(
        registry: MetricRegistry, store: SeriesStore, logger: Logger, refresh: @escaping @Sendable () -> Void = {}
    ) {
        self.registry = registry
        self.store = store
        self.logger = logger
        self.refresh = refresh
    }

    /// Mounts `GET /metrics` (the router answers `HEAD` with it too).
    package func register(in router: inout HTTPRouter) {
        router.add("GET", Self.path) { request in handle(request) }
    }

    /// Renders the body in the negotiated format and encoding.
    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        refresh()
        let format = ExpositionFormat.negotiate(accept: request.headers["Accept"])
        let body = registry.render(with: store, format: format)
        var headers: HTTPHeaders = ["Content-Type": format.contentType, "Vary": "Accept, Accept-Encoding"]
        guard Gzip.isAccepted(byAcceptEncoding: request.headers["Accept-Encoding"]) else {
            return HTTPResponse(status: .ok, headers: headers, body: body)
        }
        do {
            let compressed = try Gzip.compress(body)
            headers.set("Content-Encoding", "gzip")
            return HTTPResponse(status: .ok, headers: headers, body: compressed)
        } catch {
            // An uncompressed answer is still a correct answer to a client that accepts gzip.
            logger.warning("gzip of /metrics failed; answering uncompressed", ["error": error.description])
            return HTTPResponse(status: .ok, headers: headers, body: body)
        }
    }
}
