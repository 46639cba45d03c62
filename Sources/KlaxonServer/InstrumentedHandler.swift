import Dispatch
import KlaxonHTTP

/// Wraps the router: counts every request by handler and status code and times it.
///
/// The `handler` label is the route a request matched (`/metrics`, `/metrics/job/`,
/// `/api/v1/query`…), never the raw path, so push URLs with job names cannot grow the
/// label set; a path no route knows is counted as `other`.
package struct InstrumentedHandler: HTTPHandler {
    private let router: HTTPRouter
    private let metrics: ServerMetrics
    private let exactRoutes: Set<String>
    private let prefixRoutes: [String]

    /// Instruments `router`, whose routes are `exactRoutes` and `prefixRoutes` (for the labels).
    package init(router: HTTPRouter, metrics: ServerMetrics, exactRoutes: Set<String>, prefixRoutes: [String]) {
        self.router = router
        self.metrics = metrics
        self.exactRoutes = exactRoutes
        self.prefixRoutes = prefixRoutes.sorted { $0.utf8.count > $1.utf8.count }
    }

    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        let response = router.handle(request)
        let elapsed = DispatchTime.now().uptimeNanoseconds &- started
        metrics.observe(
            handler: handlerLabel(for: request.path), code: response.status.code, seconds: Double(elapsed) / 1e9)
        return response
    }

    package func execution(for request: HTTPRequest) -> HTTPExecution {
        router.execution(for: request)
    }

    /// The route `path` belongs to, as the `handler` label.
    package func handlerLabel(for path: String) -> String {
        if exactRoutes.contains(path) { return path }
        return prefixRoutes.first { path.hasPrefix($0) } ?? "other"
    }
}
