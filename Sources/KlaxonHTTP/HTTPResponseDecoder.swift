/// A response as read by `HTTPClient`.
package struct HTTPClientResponse: Sendable, Hashable {
    package var status: HTTPStatus
    package var version: HTTPVersion
    package var headers: HTTPHeaders
    package var body: [UInt8]

    /// The body as UTF-8 text (invalid bytes replaced).
    package var text: String { String(decoding: body, as: UTF8.self) }
}

/// Incrementally decodes one HTTP/1.1 response: `Content-Length`, chunked, or read until close.
package struct HTTPResponseDecoder: Sendable {
    private enum State: Sendable {
        case head
        case fixed(remaining: Int)
        case chunked(ChunkedBodyDecoder)
        case untilClose
        case done
    }

    private let expectsBody: Bool
    private let maxHeaderBytes = 64 * 1024
    private let maxBodyBytes: Int
    private var buffer: [UInt8] = []
    private var cursor = 0
    private var state = State.head
    private var status = HTTPStatus.ok
    private var version = HTTPVersion.http11
    private var headers = HTTPHeaders()
    private var body: [UInt8] = []

    /// `expectsBody` is false for a HEAD request.
    package init(expectsBody: Bool, maxBodyBytes: Int) {
        self.expectsBody = expectsBody
        self.maxBodyBytes = maxBodyBytes
    }

    /// The response once complete.
    package var response: HTTPClientResponse? {
        guard case .done = state else { return nil }
        return HTTPClientResponse(status: status, version: version, headers: headers, body: body)
    }

    /// Adds bytes; true once the response is complete.
    package mutating func feed(_ bytes: some Collection<UInt8>) throws(HTTPParseError) -> Bool {
        buffer.append(contentsOf: bytes)
        defer {
            buffer.removeSubrange(0..<cursor)
            cursor = 0
        }
        while true {
            switch state {
            case .done:
                return true
            case .head:
                guard try parseHead() else { return false }
            case .fixed(let remaining):
                let available = min(remaining, buffer.count - cursor)
                body.append(contentsOf: buffer[cursor..<(cursor + available)])
                cursor += available
                state = available == remaining ? .done : .fixed(remaining: remaining - available)
                if available < remaining { return false }
            case .chunked(var decoder):
                let complete = try decoder.consume(buffer, cursor: &cursor, body: &body)
                state = complete ? .done : .chunked(decoder)
                if !complete { return false }
            case .untilClose:
                guard body.count + buffer.count - cursor <= maxBodyBytes else { throw tooLarge }
                body.append(contentsOf: buffer[cursor...])
                cursor = buffer.count
                return false
            }
        }
    }

    /// The peer closed the connection: completes a read-until-close body, otherwise the response was cut short.
    package mutating func finish() throws(HTTPParseError) {
        switch state {
        case .done: return
        case .untilClose: state = .done
        default: throw .bad("The server closed the connection before the response was complete.")
        }
    }

    private var tooLarge: HTTPParseError {
        HTTPParseError(.contentTooLarge, "The response body exceeds the limit of \(maxBodyBytes) bytes.")
    }

    /// Reads the status line and headers; false while they have not fully arrived.
    private mutating func parseHead() throws(HTTPParseError) -> Bool {
        let window = buffer[cursor...]
        guard let end = Self.blankLine(in: window) else {
            guard window.count <= maxHeaderBytes else {
                throw HTTPParseError(.headerFieldsTooLarge, "The response headers exceed \(maxHeaderBytes) bytes.")
            }
            return false
        }
        let lines = HTTPHeadSyntax.lines(buffer[cursor..<(end - 2)])
        cursor = end
        guard let statusLine = lines.first, statusLine.count >= 12 else {
            throw .bad("The response has no valid status line.")
        }
        version = try HTTPHeadSyntax.version(statusLine.prefix(8), where: "status line")
        let codeBytes = statusLine.dropFirst(9).prefix(3)
        guard statusLine[statusLine.startIndex + 8] == HTTPHeadSyntax.space,
            let code = Int(String(decoding: codeBytes, as: UTF8.self)), (100...999).contains(code)
        else {
            throw .bad("The response status line has no three-digit status code.")
        }
        let reason = String(decoding: statusLine.dropFirst(13), as: UTF8.self)
        status = reason.isEmpty ? HTTPStatus(code) : HTTPStatus(code, reason: reason)
        headers = HTTPHeaders()
        for (offset, line) in lines.dropFirst().enumerated() {
            let field = try HTTPHeadSyntax.field(line, where: "response header line \(offset + 1)")
            headers.add(field.name, field.value)
        }
        if (100..<200).contains(code) { return true }  // interim response: the real one follows
        try startBody()
        return true
    }

    private mutating func startBody() throws(HTTPParseError) {
        if !expectsBody || status.forbidsBody {
            state = .done
        } else if headers.tokens(for: "Transfer-Encoding").last == "chunked" {
            state = .chunked(ChunkedBodyDecoder(maxBodyBytes: maxBodyBytes, maxTrailerBytes: maxHeaderBytes))
        } else if let length = try HTTPHeadSyntax.contentLength(headers.values(for: "Content-Length")) {
            guard length <= maxBodyBytes else { throw tooLarge }
            state = length == 0 ? .done : .fixed(remaining: length)
        } else {
            state = .untilClose
        }
    }

    /// The index after the first CRLF CRLF, or nil.
    private static func blankLine(in bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if bytes[index] == HTTPHeadSyntax.lf, index - 3 >= bytes.startIndex, bytes[index - 1] == HTTPHeadSyntax.cr,
                bytes[index - 2] == HTTPHeadSyntax.lf
            {
                return index + 1
            }
            index += 1
        }
        return nil
    }
}
