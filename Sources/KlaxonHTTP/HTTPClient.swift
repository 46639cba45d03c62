import Glibc

/// Why an `HTTPClient` call failed: bad URL, connect/timeout, or a malformed or oversized response.
package struct HTTPClientError: Error, Sendable, Hashable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}

/// A small blocking HTTP/1.1 client over plain TCP: one request per connection, then close.
///
/// Blocks the calling thread; call it from a thread of its own, not from the cooperative pool.
package struct HTTPClient: Sendable {
    /// Limit for the whole exchange: resolve, connect, send, receive.
    package var timeout: Duration
    /// Largest response body accepted.
    package var maxResponseBytes: Int

    package init(timeout: Duration = .seconds(10), maxResponseBytes: Int = 16 * 1024 * 1024) {
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }

    /// `GET url`.
    package func get(_ url: String, headers: HTTPHeaders = [:]) throws(HTTPClientError) -> HTTPClientResponse {
        try send("GET", url, headers: headers)
    }

    /// `POST url` with `body`.
    package func post(_ url: String, headers: HTTPHeaders = [:], body: [UInt8]) throws(HTTPClientError)
        -> HTTPClientResponse
    {
        try send("POST", url, headers: headers, body: body)
    }

    /// `PUT url` with `body`.
    package func put(_ url: String, headers: HTTPHeaders = [:], body: [UInt8]) throws(HTTPClientError)
        -> HTTPClientResponse
    {
        try send("PUT", url, headers: headers, body: body)
    }

    /// `DELETE url`.
    package func delete(_ url: String, headers: HTTPHeaders = [:]) throws(HTTPClientError) -> HTTPClientResponse {
        try send("DELETE", url, headers: headers)
    }

    /// Sends `method url` and reads the whole response.
    package func send(
        _ method: String, _ url: String, headers: HTTPHeaders = [:], body: [UInt8] = []
    ) throws(HTTPClientError) -> HTTPClientResponse {
        let target = try HTTPClientURL(url)
        let deadline = SystemCall.monotonicMilliseconds() + timeout.clampedMilliseconds
        let request = Self.serialize(method: method, target: target, headers: headers, body: body)
        let socket = try ClientSocket.connect(host: target.host, port: target.port, deadline: deadline)
        defer { socket.close() }
        try socket.writeAll(request, deadline: deadline)
        var decoder = HTTPResponseDecoder(expectsBody: method != "HEAD", maxBodyBytes: maxResponseBytes)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = try socket.read(into: &chunk, deadline: deadline)
            do throws(HTTPParseError) {
                if count == 0 {
                    try decoder.finish()
                    break
                }
                if try decoder.feed(chunk[0..<count]) { break }
            } catch {
                throw HTTPClientError("\(method) \(url): \(error.message)")
            }
        }
        guard let response = decoder.response else {
            throw HTTPClientError("\(method) \(url): the response was incomplete.")
        }
        return response
    }

    private static func serialize(method: String, target: HTTPClientURL, headers: HTTPHeaders, body: [UInt8]) -> [UInt8] {
        var head = "\(method) \(target.pathAndQuery) HTTP/1.1\r\n"
        if !headers.contains("Host") { head += "Host: \(target.hostHeader)\r\n" }
        for field in headers
        where !["Content-Length", "Connection", "Transfer-Encoding"].contains(where: { HTTPHeaders.namesEqual($0, field.name) }) {
            let value = field.value.filter { $0 != "\r" && $0 != "\n" }
            head += "\(field.name): \(value)\r\n"
        }
        if !body.isEmpty || method == "POST" || method == "PUT" { head += "Content-Length: \(body.count)\r\n" }
        head += "Connection: close\r\n\r\n"
        return Array(head.utf8) + body
    }
}

/// An `http://host[:port]/path?query` URL split for a request.
struct HTTPClientURL {
    var host: String
    var port: Int
    var pathAndQuery: String
    var hostHeader: String

    init(_ url: String) throws(HTTPClientError) {
        guard url.lowercased().hasPrefix("http://") else {
            throw HTTPClientError("URL \"\(url.prefix(80))\" must start with http:// (TLS is not supported).")
        }
        let rest = url.dropFirst(7)
        let slash = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let authority = rest[..<slash]
        let path = rest[slash...]
        pathAndQuery = path.isEmpty ? "/" : (path.hasPrefix("?") ? "/" + path : String(path))
        hostHeader = String(authority)
        var hostPart = authority
        var portPart: Substring?
        if authority.hasPrefix("["), let close = authority.firstIndex(of: "]") {
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portPart = authority[authority.index(after: colon)...]
        }
        guard !hostPart.isEmpty, !hostPart.contains("@") else {
            throw HTTPClientError("URL \"\(url.prefix(80))\" has no host (user info is not supported).")
        }
        host = String(hostPart)
        if let portPart {
            guard let value = Int(portPart), (1...65_535).contains(value) else {
                throw HTTPClientError("URL \"\(url.prefix(80))\" has an invalid port; use 1 to 65535.")
            }
            port = value
        } else {
            port = 80
        }
    }
}
