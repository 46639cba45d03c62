/// Serializes a response onto the wire, adding the framing headers the server owns.
///
/// The handler's own `Content-Length`, `Transfer-Encoding`, `Connection` and `Date` are replaced;
/// CR and LF in header names or values become spaces so a handler cannot split the response.
package enum HTTPResponseWriter {
    /// The interim response written when a client sent `Expect: 100-continue`.
    package static let continueResponse = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// The bytes of `response` as the answer to a request with `method` and `version`.
    ///
    /// A `HEAD` answer carries the headers (same `Content-Length`) without the body.
    /// `date` is an IMF-fixdate (see `HTTPDate`) or nil to omit the header.
    package static func serialize(
        _ response: HTTPResponse,
        method: String = "GET",
        version: HTTPVersion = .http11,
        keepAlive: Bool,
        date: String? = nil
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + response.body.count)
        out.append(contentsOf: "HTTP/1.1 \(response.status.code) \(clean(response.status.reason))\r\n".utf8)
        for field in response.headers where !isFramingHeader(field.name) {
            out.append(contentsOf: clean(field.name).utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: clean(field.value).utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        let bodyAllowed = !response.status.forbidsBody
        if bodyAllowed {
            out.append(contentsOf: "Content-Length: \(response.body.count)\r\n".utf8)
        }
        if let date {
            out.append(contentsOf: "Date: \(date)\r\n".utf8)
        }
        if !keepAlive {
            out.append(contentsOf: "Connection: close\r\n".utf8)
        } else if version == .http10 {
            out.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        out.append(contentsOf: "\r\n".utf8)
        if bodyAllowed && method != "HEAD" {
            out.append(contentsOf: response.body)
        }
        return out
    }

    /// The plain-text answer to a request that failed to parse; it always closes the connection.
    package static func serialize(_ error: HTTPParseError, date: String? = nil) -> [UInt8] {
        serialize(.text(error.message + "\n", status: error.status), keepAlive: false, date: date)
    }

    private static func isFramingHeader(_ name: String) -> Bool {
        ["Content-Length", "Transfer-Encoding", "Connection", "Date"].contains { HTTPHeaders.namesEqual($0, name) }
    }

    private static func clean(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A }) else { return text }
        return String(text.map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" ? " " : $0 })
    }
}
