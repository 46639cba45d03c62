import Testing

@testable import KlaxonHTTP

@Suite struct HTTPRequestParserTests {
    private func parse(_ text: String, limits: HTTPParserLimits = HTTPParserLimits()) -> [HTTPParserEvent] {
        var parser = HTTPRequestParser(limits: limits)
        return parser.feed(Array(text.utf8))
    }

    private func requests(_ events: [HTTPParserEvent]) -> [HTTPRequest] {
        events.compactMap { if case .request(let request) = $0 { request } else { nil } }
    }

    @Test func parsesRequestLineHeadersAndQuery() throws {
        let events = parse("GET /api/v1/query?query=up%7Bjob%3D%22a%22%7D&time=1+2&flag HTTP/1.1\r\nHost: x\r\nX-A: 1\r\nx-a: 2\r\n\r\n")
        let request = try #require(requests(events).first)
        #expect(events.count == 1)
        #expect(request.method == "GET")
        #expect(request.path == "/api/v1/query")
        #expect(request.queryValue("query") == "up{job=\"a\"}")
        #expect(request.queryValue("time") == "1 2")
        #expect(request.query.map(\.name) == ["query", "time", "flag"])
        #expect(request.headers["x-a"] == "1")
        #expect(request.headers.values(for: "X-A") == ["1", "2"])
        #expect(request.headers.fields.map(\.name) == ["Host", "X-A", "x-a"])
        #expect(request.keepAlive)
    }

    @Test func decodedPathIsKeptApartFromRawTarget() throws {
        let request = try #require(requests(parse("PUT /metrics/job/a%2Fb/x/%C3%A9 HTTP/1.1\r\nHost: x\r\n\r\n")).first)
        #expect(request.target == "/metrics/job/a%2Fb/x/%C3%A9")
        #expect(request.rawPath == "/metrics/job/a%2Fb/x/%C3%A9")
        #expect(request.path == "/metrics/job/a/b/x/é")
    }

    @Test func readsContentLengthBody() throws {
        let request = try #require(requests(parse("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")).first)
        #expect(request.body == Array("hello".utf8))
    }

    @Test func readsChunkedBodyWithExtensionsAndTrailers() throws {
        let text = "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=v\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: abc\r\n\r\n"
        let request = try #require(requests(parse(text)).first)
        #expect(request.body == Array("hello world".utf8))
        #expect(request.trailers["x-checksum"] == "abc")
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: x\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.0\r\n\r\n", false),
        ("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade, close\r\n\r\n", false),
    ])
    func keepAliveFollowsVersionAndConnectionHeader(text: String, keepAlive: Bool) throws {
        let request = try #require(requests(parse(text)).first)
        #expect(request.keepAlive == keepAlive)
    }

    @Test func pipelinedRequestsComeOutInOrder() {
        let text = "GET /a HTTP/1.1\r\nHost: x\r\n\r\nPOST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"
            + "GET /c HTTP/1.1\r\nHost: x\r\n\r\nGET /d HTTP/1.1\r\n"
        var parser = HTTPRequestParser()
        let paths = requests(parser.feed(Array(text.utf8))).map(\.path)
        #expect(paths == ["/a", "/b", "/c"])
        #expect(parser.isMidRequest)
        #expect(requests(parser.feed(Array("Host: x\r\n\r\n".utf8))).map(\.path) == ["/d"])
        #expect(!parser.isMidRequest)
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func anySplitGivesTheSameRequests(chunkSize: Int) {
        let text = "\r\nPOST /x?a=1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
            + "GET /y HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nz"
        let bytes = Array(text.utf8)
        var parser = HTTPRequestParser()
        var events: [HTTPParserEvent] = []
        for start in stride(from: 0, to: bytes.count, by: chunkSize) {
            events += parser.feed(bytes[start..<min(bytes.count, start + chunkSize)])
        }
        #expect(events == parse(text))
        #expect(requests(events).map(\.body) == [Array("abc".utf8), Array("z".utf8)])
    }

    @Test func expectContinueAsksForTheBodyOnlyWhenItHasNotArrived() {
        var parser = HTTPRequestParser()
        let head = "PUT /p HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n"
        #expect(parser.feed(Array(head.utf8)) == [.sendContinue])
        #expect(requests(parser.feed(Array("abc".utf8))).map(\.body) == [Array("abc".utf8)])
        #expect(!parse(head + "abc").contains(.sendContinue))
    }

    @Test func acceptsRepeatedEqualContentLengths() throws {
        let request = try #require(requests(parse("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 2, 2\r\n\r\nok")).first)
        #expect(request.body == Array("ok".utf8))
    }

    static let errorCases: [(String, Int)] = [
        ("garbage\r\n\r\n", 400),
        ("GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
        ("GET / HTTX/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n\r\n", 400),
        ("GET / HTTP/1.1\nHost: x\n\n", 400),
        ("GET / HTTP/1.1\r\nHost x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\nHost: x\r\nX: a\u{1}b\r\n\r\n", 400),
        ("GET nopath HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("GET /?a=%4 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n2\nab\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400),
        ("POST / HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\n", 417),
        ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 17000000\r\n\r\n", 413),
        ("GET / HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "a", count: 20 * 1024))\r\n\r\n", 431),
        ("GET /\(String(repeating: "a", count: 17 * 1024))", 431),
    ]

    @Test(arguments: errorCases)
    func malformedOrOversizedRequestsFailWithTheirStatus(text: String, status: Int) throws {
        var parser = HTTPRequestParser()
        let events = parser.feed(Array(text.utf8))
        guard case .failure(let error)? = events.last else {
            Issue.record("expected a failure, got \(events)")
            return
        }
        #expect(error.status.code == status)
        #expect(!error.message.isEmpty)
        #expect(parser.hasFailed)
        #expect(parser.feed(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8)).isEmpty)
    }

    @Test func aHeadOverTheLimitIs431HoweverItIsSplit() {
        // Regression from the fuzzer: a bare LF past the limit used to win (400) when fed in one piece.
        let limits = HTTPParserLimits(maxHeaderBytes: 64)
        let text = Array(("GET / HTTP/1.1\r\nHost: x\r\nX: " + String(repeating: "v", count: 80) + "\n\n").utf8)
        var whole = HTTPRequestParser(limits: limits)
        var split = HTTPRequestParser(limits: limits)
        let splitEvents = split.feed(text[0..<40]) + split.feed(text[40..<70]) + split.feed(text[70...])
        #expect(whole.feed(text) == splitEvents)
        guard case .failure(let error)? = splitEvents.last else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.status == .headerFieldsTooLarge)
    }

    @Test func chunkedBodyOverTheLimitIs413AndLongTrailersAre431() {
        let limits = HTTPParserLimits(maxHeaderBytes: 256, maxBodyBytes: 8)
        let head = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
        let tooBig = parse(head + "5\r\nabcde\r\n4\r\nabcd\r\n", limits: limits)
        #expect(tooBig.last == .failure(HTTPParseError(.contentTooLarge, "The chunked body exceeds the limit of 8 bytes.")))
        guard case .failure(let error)? = parse(head + "0\r\nX: \(String(repeating: "t", count: 300))", limits: limits).last
        else {
            Issue.record("expected a trailer failure")
            return
        }
        #expect(error.status == .headerFieldsTooLarge)
    }
}
