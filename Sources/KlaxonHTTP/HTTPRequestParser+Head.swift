extension HTTPRequestParser {
    /// Parses the request line and header lines of one head (the final blank line excluded).
    func parseHead(_ block: ArraySlice<UInt8>) throws(HTTPParseError) -> Head {
        let lines = HTTPHeadSyntax.lines(block)
        guard let requestLine = lines.first else { throw .bad("The request line is missing.") }
        let parts = requestLine.split(separator: HTTPHeadSyntax.space, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .bad("The request line must be METHOD SP TARGET SP HTTP/1.1, separated by single spaces.")
        }
        guard parts[0].allSatisfy(HTTPHeadSyntax.isTokenByte) else {
            throw .bad("The request method has a character not allowed in a token.")
        }
        guard parts[1].allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .bad("The request target has a space, control or non-ASCII byte; percent-encode it.")
        }
        let version = try HTTPHeadSyntax.version(parts[2], where: "request line")
        let method = String(decoding: parts[0], as: UTF8.self)
        let target = String(decoding: parts[1], as: UTF8.self)
        guard target.hasPrefix("/") || target == "*" || target.lowercased().hasPrefix("http://")
            || target.lowercased().hasPrefix("https://")
        else {
            throw .bad("The request target \"\(target.prefix(60))\" must start with / (or be an absolute http URL).")
        }

        var headers = HTTPHeaders()
        for (offset, line) in lines.dropFirst().enumerated() {
            let field = try HTTPHeadSyntax.field(line, where: "header line \(offset + 1)")
            headers.add(field.name, field.value)
        }
        if version == .http11, headers.values(for: "Host").count != 1 {
            throw .bad("An HTTP/1.1 request must carry exactly one Host header.")
        }
        let connection = headers.tokens(for: "Connection")
        let keepAlive =
            version == .http11
            ? !connection.contains("close") : connection.contains("keep-alive") && !connection.contains("close")

        let split = HTTPRequestTarget.split(target)
        return Head(
            method: method,
            target: target,
            rawPath: String(split.rawPath),
            path: try HTTPRequestTarget.decodePath(split.rawPath),
            query: try HTTPRequestTarget.decodeQuery(split.rawQuery),
            version: version,
            headers: headers,
            keepAlive: keepAlive
        )
    }
}

extension HTTPRequest {
    init(head: HTTPRequestParser.Head, body: [UInt8], trailers: HTTPHeaders) {
        self.method = head.method
        self.target = head.target
        self.path = head.path
        self.rawPath = head.rawPath
        self.query = head.query
        self.version = head.version
        self.headers = head.headers
        self.body = body
        self.trailers = trailers
        self.keepAlive = head.keepAlive
    }
}
