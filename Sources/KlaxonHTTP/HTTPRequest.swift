/// The HTTP version on a request line; only 1.0 and 1.1 are served.
package struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    package var major: Int
    package var minor: Int

    package init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    package static let http10 = HTTPVersion(major: 1, minor: 0)
    package static let http11 = HTTPVersion(major: 1, minor: 1)

    package var description: String { "HTTP/\(major).\(minor)" }
}

/// One `name=value` pair of a query string, percent-decoded (`+` read as a space).
package struct HTTPQueryItem: Sendable, Hashable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// A complete, parsed HTTP request.
package struct HTTPRequest: Sendable, Hashable {
    /// The method exactly as sent, e.g. `GET` (methods are case-sensitive).
    package var method: String
    /// The request target as sent, before any decoding (`/metrics/job/a%2Fb?x=1`).
    package var target: String
    /// The path part of the target, percent-decoded (`/metrics/job/a/b`).
    package var path: String
    /// The path part of the target, still percent-encoded, for routes where `%2F` matters.
    package var rawPath: String
    /// The query string items in order.
    package var query: [HTTPQueryItem]
    package var version: HTTPVersion
    package var headers: HTTPHeaders
    package var body: [UInt8]
    /// Trailer fields sent after a chunked body (usually empty).
    package var trailers: HTTPHeaders
    /// Whether the connection may carry another request after this one.
    package var keepAlive: Bool

    /// A request built in code (tests, internal dispatch); `target` is split and decoded like a received one.
    package init(
        method: String,
        target: String,
        version: HTTPVersion = .http11,
        headers: HTTPHeaders = [:],
        body: [UInt8] = [],
        trailers: HTTPHeaders = [:],
        keepAlive: Bool = true
    ) {
        self.method = method
        self.target = target
        let split = HTTPRequestTarget.split(target)
        self.rawPath = String(split.rawPath)
        self.path = (try? HTTPRequestTarget.decodePath(split.rawPath)) ?? String(split.rawPath)
        self.query = (try? HTTPRequestTarget.decodeQuery(split.rawQuery)) ?? []
        self.version = version
        self.headers = headers
        self.body = body
        self.trailers = trailers
        self.keepAlive = keepAlive
    }

    /// The first value of the query parameter `name`, or nil.
    package func queryValue(_ name: String) -> String? {
        query.first { $0.name == name }?.value
    }

    /// Every value of the query parameter `name`, in order (e.g. repeated `match[]`).
    package func queryValues(_ name: String) -> [String] {
        query.filter { $0.name == name }.map(\.value)
    }
}
