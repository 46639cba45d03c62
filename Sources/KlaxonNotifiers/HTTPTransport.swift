import KlaxonRouting

/// One outbound HTTP request a notifier makes.
package struct HTTPTransportRequest: Sendable, Equatable {
    package var method: String
    /// The full URL; may hold a secret (Telegram's bot token, a Slack webhook path), so it never
    /// appears in an error: errors name `target`.
    package var url: String
    /// Header fields in order.
    package var headers: [HTTPTransportHeader]
    package var body: [UInt8]
    /// No answer within this long is a `timeout` failure.
    package var timeoutMilliseconds: Int64
    /// What errors call the destination ("Telegram API at api.telegram.org"): never a secret.
    package var target: String

    package init(
        method: String = "POST", url: String, headers: [HTTPTransportHeader] = [], body: [UInt8],
        timeoutMilliseconds: Int64, target: String
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeoutMilliseconds = timeoutMilliseconds
        self.target = target
    }
}

/// A header field of a request.
package struct HTTPTransportHeader: Sendable, Equatable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What came back: status, headers (names lower-cased) and at most `maxBodyBytes` of the body.
package struct HTTPTransportResponse: Sendable, Equatable {
    package var status: Int
    package var headers: [String: String]
    package var body: [UInt8]

    package init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// How much of a response body notifiers keep: enough for any error text.
    package static let maxBodyBytes = 64 * 1024
}

/// Sends requests; every failure to get a response is classified (network, timeout, configuration)
/// with a message that names the request's `target`, never its URL.
package protocol HTTPTransport: Sendable {
    func send(_ request: HTTPTransportRequest) async -> Result<HTTPTransportResponse, DeliveryError>
}
