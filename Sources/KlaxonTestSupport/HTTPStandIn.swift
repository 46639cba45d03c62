import Dispatch
import KlaxonHTTP
import Synchronization

/// How a stand-in answers the next requests.
package enum StandInMode: Sendable, Equatable {
    /// Accepts, as the real service does.
    case ok
    /// Fails with this HTTP status (the service's own error body).
    case fail(status: Int)
    /// 429 asking to retry after this many seconds (header or body, as the service does it).
    case throttle(retryAfterSeconds: Int)
    /// Never answers until `release()` (or `stop()`), to test timeouts.
    case hang
}

/// One request a stand-in received.
package struct RecordedRequest: Sendable, Equatable {
    package var method: String
    package var path: String
    package var headers: HTTPHeaders
    package var body: [UInt8]

    /// The body as UTF-8 text.
    package var text: String { String(decoding: body, as: UTF8.self) }
}

/// An HTTP server on 127.0.0.1 (a free port) standing in for a notification service: it records
/// every request and answers as its mode says. Thread-safe; `stop()` releases hung requests.
package final class HTTPStandIn: Sendable {
    /// Builds the service's answer for a request in `.ok`, `.fail` or `.throttle` mode.
    package typealias Responder = @Sendable (RecordedRequest, StandInMode) -> HTTPResponse

    private let server: HTTPServer
    private let shared: SharedState

    /// What the server's threads and the test share.
    private final class SharedState: Sendable {
        let state = Mutex<(mode: StandInMode, requests: [RecordedRequest], released: Bool, hung: Int)>(
            (.ok, [], false, 0))
        let gate = DispatchSemaphore(value: 0)
    }

    /// Starts serving; `responder` speaks the service's protocol.
    package init(responder: @escaping Responder) throws {
        let shared = SharedState()
        self.shared = shared
        let handler = HTTPHandlerClosure { request in
            let recorded = RecordedRequest(
                method: request.method, path: request.path, headers: request.headers, body: request.body)
            let (mode, mustWait) = shared.state.withLock { state in
                state.requests.append(recorded)
                let mustWait = state.mode == .hang && !state.released
                if mustWait { state.hung += 1 }
                return (state.mode, mustWait)
            }
            if mode == .hang {
                if mustWait { shared.gate.wait() }
                return HTTPResponse(status: .serviceUnavailable)
            }
            return responder(recorded, mode)
        }
        // Enough I/O threads that one hung request does not block the others.
        server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, ioThreads: 4), handler: handler)
        try server.start()
    }

    /// The port it listens on.
    package var port: Int { server.port ?? 0 }

    /// `http://127.0.0.1:<port>`.
    package var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Answers the following requests as `mode` says.
    package func setMode(_ mode: StandInMode) {
        shared.state.withLock { $0.mode = mode }
    }

    /// Every request received so far, oldest first.
    package var requests: [RecordedRequest] { shared.state.withLock { $0.requests } }

    /// How many requests are hanging now.
    package var hangingCount: Int { shared.state.withLock { $0.hung } }

    /// Lets every hung request finish (with 503) and the following ones hang no more.
    package func release() {
        let count = shared.state.withLock { state in
            state.released = true
            defer { state.hung = 0 }
            return state.hung
        }
        for _ in 0..<count { shared.gate.signal() }
    }

    /// Releases hung requests and stops the server (blocks until its connections are closed).
    package func stop() {
        release()
        server.shutdown()
    }
}
