import KlaxonConfig
import KlaxonHTTP
import KlaxonIngest
import KlaxonMetrics
import KlaxonRuntime
import KlaxonTestSupport
import Synchronization

/// What `/metrics` shows for a store: `name{labels}` → value text, comments left out.
func exposed(_ store: SeriesStore) -> [String: String] {
    let text = String(decoding: ExpositionWriter.render(store.snapshot(), format: .text), as: UTF8.self)
    var values: [String: String] = [:]
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
        guard let space = line.lastIndex(of: " ") else { continue }
        values[String(line[..<space])] = String(line[line.index(after: space)...])
    }
    return values
}

/// The exposed series whose name is `name` (any labels).
func exposed(_ store: SeriesStore, named name: String) -> [String: String] {
    exposed(store).filter { $0.key == name || $0.key.hasPrefix(name + "{") }
}

/// A store, clock, registry and both push handlers wired the way the server wires them.
struct PushFixture {
    let store: SeriesStore
    let clock = ManualWallClock()
    let registry = MetricRegistry()
    let pushgateway: PushgatewayHandler
    let json: JSONPushHandler
    let router: HTTPRouter
    /// The sample names the handlers reported changed.
    let changes = ChangeLog()

    init(maxSeries: Int = 1000, ingest: IngestConfiguration = IngestConfiguration()) throws {
        store = SeriesStore(options: SeriesStoreOptions(maxSeries: maxSeries))
        let metrics = try IngestMetrics(registry: registry)
        let changes = changes
        let record: @Sendable (Set<String>) -> Void = { names in changes.record(names) }
        pushgateway = PushgatewayHandler(
            store: store, ingest: ingest, metrics: metrics, clock: clock, seriesChanged: record)
        json = JSONPushHandler(store: store, ingest: ingest, metrics: metrics, clock: clock, seriesChanged: record)
        var router = HTTPRouter()
        pushgateway.register(in: &router)
        json.register(in: &router)
        let registry = registry
        let store = store
        router.add("GET", "/metrics") { request in
            let format = ExpositionFormat.negotiate(accept: request.headers["Accept"])
            return HTTPResponse(
                headers: ["Content-Type": format.contentType], body: registry.render(with: store, format: format))
        }
        self.router = router
    }

    /// Sends a request through the router, as the server would.
    func send(_ method: String, _ target: String, _ body: String = "", contentType: String? = nil) -> HTTPResponse {
        var headers: HTTPHeaders = [:]
        if let contentType { headers.add("Content-Type", contentType) }
        return router.handle(HTTPRequest(method: method, target: target, headers: headers, body: Array(body.utf8)))
    }

    /// The self-metric sample `name{labels}` as rendered, or nil.
    func selfMetric(_ series: String) -> String? {
        let text = String(decoding: ExpositionWriter.render(registry.snapshot(), format: .text), as: UTF8.self)
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return String(line.dropFirst(series.count + 1))
        }
        return nil
    }
}

/// What push handlers report through `seriesChanged`, one entry per call.
final class ChangeLog: Sendable {
    private let calls = Mutex<[Set<String>]>([])

    func record(_ names: Set<String>) { calls.withLock { $0.append(names) } }

    /// Every call so far, oldest first.
    var all: [Set<String>] { calls.withLock { $0 } }
}

/// An HTTP server on 127.0.0.1 whose answer a test changes between scrapes.
final class SwitchableTarget: Sendable {
    private final class State: Sendable {
        let response = Mutex(HTTPResponse.text("", status: .ok))
        let requests = Mutex<[HTTPRequest]>([])
    }

    private let state = State()
    let server: HTTPServer
    let port: Int

    init() throws {
        let state = state
        let handler = HTTPHandlerClosure { request in
            state.requests.withLock { $0.append(request) }
            return state.response.withLock { $0 }
        }
        server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, ioThreads: 1), handler: handler)
        try server.start()
        port = server.port ?? 0
    }

    /// Answers the next requests with `body` and `contentType`.
    func serve(_ body: String, contentType: String = "text/plain; version=0.0.4", status: HTTPStatus = .ok) {
        state.response.withLock {
            $0 = HTTPResponse(status: status, headers: ["Content-Type": contentType], body: Array(body.utf8))
        }
    }

    /// The requests received so far.
    var received: [HTTPRequest] { state.requests.withLock { $0 } }

    deinit { server.shutdown() }
}
