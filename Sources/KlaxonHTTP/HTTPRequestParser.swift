/// Size limits for one request; exceeding one is answered with the status named here.
package struct HTTPParserLimits: Sendable, Hashable {
    /// Request line plus headers (and, separately, trailers); beyond this: 431.
    package var maxHeaderBytes: Int
    /// Decoded body size; beyond this: 413.
    package var maxBodyBytes: Int

    package init(maxHeaderBytes: Int = 16 * 1024, maxBodyBytes: Int = 16 * 1024 * 1024) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodyBytes = maxBodyBytes
    }
}

/// What the parser found in the bytes fed so far. An empty list from `feed` means "need more bytes".
package enum HTTPParserEvent: Sendable, Hashable {
    /// A complete request; pipelined requests come out in order.
    case request(HTTPRequest)
    /// The client sent `Expect: 100-continue` and waits: write `HTTP/1.1 100 Continue` before the body arrives.
    case sendContinue
    /// The stream is malformed or over a limit: answer `status` with `Connection: close`. Nothing follows.
    case failure(HTTPParseError)
}

/// An incremental HTTP/1.1 request parser: a pure state machine, the caller does the I/O.
///
/// Lines must end in CRLF: a bare LF anywhere in the head or chunk framing is a 400, because
/// peers that disagree on line ends are how requests get smuggled. Leading empty lines before a
/// request line are skipped (RFC 9112 §2.2). Obsolete line folding, whitespace before a header
/// colon, both `Content-Length` and `Transfer-Encoding`, conflicting lengths, a missing `Host`
/// on HTTP/1.1 and transfer codings other than `chunked` (501) are all rejected.
package struct HTTPRequestParser: Sendable {
    struct Head: Sendable {
        var method: String
        var target: String
        var rawPath: String
        var path: String
        var query: [HTTPQueryItem]
        var version: HTTPVersion
        var headers: HTTPHeaders
        var keepAlive: Bool
    }

    private enum State: Sendable {
        case head
        case fixedBody(Head, remaining: Int)
        case chunkedBody(Head, ChunkedBodyDecoder)
        case failed
    }

    /// The limits this parser enforces.
    package let limits: HTTPParserLimits
    private var buffer: [UInt8] = []
    private var cursor = 0
    private var scanned = 0
    private var state = State.head
    private var body: [UInt8] = []

    package init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    /// Whether bytes of an unfinished request are held (used for read timeouts and graceful shutdown).
    package var isMidRequest: Bool {
        switch state {
        case .head: cursor < buffer.count
        case .failed: false
        case .fixedBody, .chunkedBody: true
        }
    }

    /// Whether bytes of a request line or headers are held and the head is not complete yet.
    package var isReadingHead: Bool {
        if case .head = state { return cursor < buffer.count }
        return false
    }

    /// Whether a failure was reported; the parser ignores everything after it.
    package var hasFailed: Bool {
        if case .failed = state { return true }
        return false
    }

    /// Appends `bytes` and returns every event they complete, in order.
    package mutating func feed(_ bytes: some Collection<UInt8>) -> [HTTPParserEvent] {
        guard !hasFailed else { return [] }
        buffer.append(contentsOf: bytes)
        var events: [HTTPParserEvent] = []
        do {
            while let event = try step() {
                events.append(event)
            }
        } catch {
            state = .failed
            buffer = []
            body = []
            cursor = 0
            scanned = 0
            events.append(.failure(error))
        }
        if cursor > 0 {
            buffer.removeSubrange(0..<cursor)
            scanned -= cursor
            cursor = 0
        }
        return events
    }

    // MARK: - Steps

    private mutating func step() throws(HTTPParseError) -> HTTPParserEvent? {
        switch state {
        case .failed:
            return nil
        case .head:
            guard let end = try headEnd() else { return nil }
            let head = try parseHead(buffer[cursor..<(end - 2)])
            cursor = end
            return try startBody(head)
        case .fixedBody(let head, let remaining):
            let available = min(remaining, buffer.count - cursor)
            body.append(contentsOf: buffer[cursor..<(cursor + available)])
            cursor += available
            if available == remaining { return finish(head, trailers: [:]) }
            state = .fixedBody(head, remaining: remaining - available)
            return nil
        case .chunkedBody(let head, var decoder):
            let done = try decoder.consume(buffer, cursor: &cursor, body: &body)
            if done { return finish(head, trailers: decoder.trailers) }
            state = .chunkedBody(head, decoder)
            return nil
        }
    }

    /// The index just past the blank line ending the head, or nil while it has not arrived.
    private mutating func headEnd() throws(HTTPParseError) -> Int? {
        var index = max(scanned, cursor)
        // Never look past the limit, so the verdict does not depend on how the bytes were split.
        while index < min(buffer.count, cursor + limits.maxHeaderBytes) {
            if buffer[index] == HTTPHeadSyntax.lf {
                guard index > cursor, buffer[index - 1] == HTTPHeadSyntax.cr else {
                    throw .bad("The request head has a line ending in a bare LF; lines must end with CRLF.")
                }
                if index == cursor + 1 {
                    cursor = index + 1  // an empty line before the request line is skipped (RFC 9112 §2.2)
                } else if index - cursor >= 3, buffer[index - 2] == HTTPHeadSyntax.lf {
                    guard index + 1 - cursor <= limits.maxHeaderBytes else { throw headerTooLarge }
                    scanned = index + 1
                    return index + 1
                }
            }
            index += 1
        }
        scanned = index
        guard buffer.count - cursor <= limits.maxHeaderBytes else { throw headerTooLarge }
        return nil
    }

    private var headerTooLarge: HTTPParseError {
        HTTPParseError(.headerFieldsTooLarge, "The request line and headers exceed \(limits.maxHeaderBytes) bytes.")
    }

    private mutating func startBody(_ head: Head) throws(HTTPParseError) -> HTTPParserEvent? {
        let headers = head.headers
        let lengths = headers.values(for: "Content-Length")
        var chunked = false
        var length = 0
        if headers.contains("Transfer-Encoding") {
            guard lengths.isEmpty else {
                throw .bad("The request has both Content-Length and Transfer-Encoding; send only one.")
            }
            guard head.version == .http11 else {
                throw .bad("Transfer-Encoding is not allowed on an HTTP/1.0 request.")
            }
            let codings = headers.tokens(for: "Transfer-Encoding")
            guard codings.last == "chunked", codings.filter({ $0 == "chunked" }).count == 1 else {
                throw .bad("Transfer-Encoding must end with chunked, once; got \"\(codings.joined(separator: ", "))\".")
            }
            guard codings.count == 1 else {
                throw HTTPParseError(.notImplemented, "Only the chunked transfer coding is supported.")
            }
            chunked = true
        } else if let declared = try HTTPHeadSyntax.contentLength(lengths) {
            guard declared <= limits.maxBodyBytes else {
                throw HTTPParseError(
                    .contentTooLarge, "The body of \(declared) bytes exceeds the limit of \(limits.maxBodyBytes) bytes."
                )
            }
            length = declared
        }
        var waitsForContinue = false
        if let expect = headers["Expect"] {
            guard expect.lowercased() == "100-continue" else {
                throw HTTPParseError(.expectationFailed, "Only \"Expect: 100-continue\" is supported.")
            }
            waitsForContinue = head.version == .http11 && (chunked || length > 0) && cursor == buffer.count
        }
        body = []
        if chunked {
            state = .chunkedBody(
                head, ChunkedBodyDecoder(maxBodyBytes: limits.maxBodyBytes, maxTrailerBytes: limits.maxHeaderBytes))
        } else if length > 0 {
            state = .fixedBody(head, remaining: length)
        } else {
            return finish(head, trailers: [:])
        }
        return waitsForContinue ? .sendContinue : try step()
    }

    private mutating func finish(_ head: Head, trailers: HTTPHeaders) -> HTTPParserEvent {
        let request = HTTPRequest(head: head, body: body, trailers: trailers)
        body = []
        state = .head
        return .request(request)
    }
}
