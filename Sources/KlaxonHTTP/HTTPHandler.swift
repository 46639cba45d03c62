/// Where the server calls a handler for one request.
package enum HTTPExecution: Sendable, Hashable {
    /// On the I/O thread that read the request, at once: for work that never waits or runs long
    /// (a push, a scrape of `/metrics`). Cheapest, and what every request gets by default.
    case ioThread
    /// On one of the server's worker threads: for work that may run long or block (a query, a
    /// reload). The I/O thread goes on serving other connections; the response is written when
    /// the worker returns it.
    case worker
}

/// Answers requests. `handle` runs on the thread `execution(for:)` chooses, synchronously.
package protocol HTTPHandler: Sendable {
    /// The response to `request`; never throws: errors become responses (see `HTTPRouter`).
    func handle(_ request: HTTPRequest) -> HTTPResponse

    /// Where `handle` must run for `request`; `.ioThread` unless a handler says otherwise.
    func execution(for request: HTTPRequest) -> HTTPExecution
}

extension HTTPHandler {
    package func execution(for request: HTTPRequest) -> HTTPExecution { .ioThread }
}

/// An error a route handler throws to answer with a specific status and message.
///
/// Any other error thrown by a route becomes a 500 whose body does not reveal the error.
package struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    package var status: HTTPStatus
    package var message: String
    package var headers: HTTPHeaders

    package init(_ status: HTTPStatus, message: String, headers: HTTPHeaders = [:]) {
        self.status = status
        self.message = message
        self.headers = headers
    }

    package var description: String { "\(status): \(message)" }

    /// The plain-text response for this error.
    package var response: HTTPResponse {
        var response = HTTPResponse.text(message + "\n", status: status)
        for field in headers { response.headers.set(field.name, field.value) }
        return response
    }
}

/// Wraps a closure as a handler, for tests and small servers.
package struct HTTPHandlerClosure: HTTPHandler {
    private let body: @Sendable (HTTPRequest) -> HTTPResponse

    package init(_ body: @escaping @Sendable (HTTPRequest) -> HTTPResponse) {
        self.body = body
    }

    package func handle(_ request: HTTPRequest) -> HTTPResponse { body(request) }
}
