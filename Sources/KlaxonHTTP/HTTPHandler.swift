/// Answers requests. Called synchronously on a server I/O thread, so it must not block for long.
package protocol HTTPHandler: Sendable {
    /// The response to `request`; never throws: errors become responses (see `HTTPRouter`).
    func handle(_ request: HTTPRequest) -> HTTPResponse
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
