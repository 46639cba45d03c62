import Testing

@testable import KlaxonHTTP

@Suite struct HTTPRouterTests {
    private struct Boom: Error {}

    private func router() -> HTTPRouter {
        var router = HTTPRouter()
        router.add("GET", "/metrics") { _ in .text("metrics") }
        router.add("POST", "/-/reload") { _ in .text("reloaded") }
        router.add("GET", "/-/reload") { _ in .text("use POST") }
        router.addPrefix("PUT", "/metrics/job/") { request in .text("put \(request.path)") }
        router.addPrefix("DELETE", "/metrics/job/") { request in .text("delete \(request.path)") }
        router.addPrefix("GET", "/metrics/job/special/") { _ in .text("special") }
        router.add("GET", "/fail") { _ in throw HTTPError(.unprocessableContent, message: "bad rule file") }
        router.add("GET", "/crash") { _ in throw Boom() }
        return router
    }

    private func send(_ method: String, _ target: String) -> HTTPResponse {
        router().handle(HTTPRequest(method: method, target: target, headers: ["Host": "x"]))
    }

    @Test func exactRouteAnswers() {
        let response = send("GET", "/metrics")
        #expect(response.status == .ok)
        #expect(response.body == Array("metrics".utf8))
    }

    @Test func prefixRouteSeesTheDecodedPath() {
        #expect(send("PUT", "/metrics/job/a%2Fb").body == Array("put /metrics/job/a/b".utf8))
        #expect(send("DELETE", "/metrics/job/x").body == Array("delete /metrics/job/x".utf8))
    }

    @Test func longestPrefixWins() {
        #expect(send("GET", "/metrics/job/special/x").body == Array("special".utf8))
    }

    @Test func unknownPathIs404() {
        #expect(send("GET", "/nope").status == .notFound)
    }

    @Test func wrongMethodIs405WithAllow() {
        let response = send("DELETE", "/-/reload")
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, HEAD, POST")
        #expect(send("GET", "/metrics/job/a").headers["allow"] == "DELETE, PUT")
    }

    @Test func headUsesTheGetRoute() {
        let response = send("HEAD", "/metrics")
        #expect(response.status == .ok)
        #expect(response.body == Array("metrics".utf8))
    }

    @Test func thrownHTTPErrorBecomesItsResponse() {
        let response = send("GET", "/fail")
        #expect(response.status.code == 422)
        #expect(String(decoding: response.body, as: UTF8.self) == "bad rule file\n")
    }

    @Test func otherErrorsBecome500WithoutDetails() {
        let response = send("GET", "/crash")
        #expect(response.status == .internalServerError)
        #expect(!String(decoding: response.body, as: UTF8.self).contains("Boom"))
    }
}

@Suite struct HTTPResponseWriterTests {
    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func writesStatusLineHeadersLengthAndBody() {
        let bytes = HTTPResponseWriter.serialize(
            .text("hi"), keepAlive: true, date: "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(
            text(bytes) == "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n"
                + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\nhi")
    }

    @Test func headKeepsContentLengthButDropsBody() {
        let bytes = HTTPResponseWriter.serialize(.text("hello"), method: "HEAD", keepAlive: false)
        #expect(text(bytes).hasSuffix("Content-Length: 5\r\nConnection: close\r\n\r\n"))
    }

    @Test func noContentHasNoLengthAndHTTP10KeepAliveIsExplicit() {
        let bytes = HTTPResponseWriter.serialize(
            HTTPResponse(status: .noContent), version: .http10, keepAlive: true)
        #expect(text(bytes) == "HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n")
    }

    @Test func handlerCannotSplitTheResponseOrOverrideFraming() {
        let response = HTTPResponse(headers: ["X-Evil": "a\r\nSet-Cookie: b", "Content-Length": "99"], body: [1])
        let written = text(HTTPResponseWriter.serialize(response, keepAlive: true))
        #expect(written.contains("X-Evil: a Set-Cookie: b\r\n"))
        #expect(written.contains("Content-Length: 1\r\n"))
        #expect(!written.contains("99"))
    }

    @Test(arguments: [
        (Int64(784_111_777_000), "Sun, 06 Nov 1994 08:49:37 GMT"),
        (Int64(0), "Thu, 01 Jan 1970 00:00:00 GMT"),
        (Int64(951_782_400_000), "Tue, 29 Feb 2000 00:00:00 GMT"),
        (Int64(1_795_820_399_999), "Fri, 27 Nov 2026 22:59:59 GMT"),
    ])
    func formatsIMFFixdate(milliseconds: Int64, expected: String) {
        #expect(HTTPDate.format(milliseconds: milliseconds) == expected)
    }
}

@Suite struct HTTPRouterExecutionTests {
    @Test func exactAndPrefixRoutesRunWhereTheyWereAddedToRun() {
        var router = HTTPRouter()
        router.add("GET", "/api/v1/alerts/history", execution: .worker) { _ in HTTPResponse(status: .ok) }
        router.add("GET", "/api/v1/alerts") { _ in HTTPResponse(status: .ok) }
        router.addPrefix("POST", "/api/v1/alerts/", execution: .worker) { _ in HTTPResponse(status: .ok) }
        router.addPrefix("GET", "/api/v1/alerts/") { _ in HTTPResponse(status: .ok) }
        func execution(_ method: String, _ path: String) -> HTTPExecution {
            router.execution(for: HTTPRequest(method: method, target: path))
        }
        #expect(execution("GET", "/api/v1/alerts/history") == .worker)
        #expect(execution("HEAD", "/api/v1/alerts/history") == .worker)
        #expect(execution("GET", "/api/v1/alerts") == .ioThread)
        #expect(execution("POST", "/api/v1/alerts/0123456789abcdef/ack") == .worker)
        #expect(execution("GET", "/api/v1/alerts/0123456789abcdef") == .ioThread)
        #expect(execution("GET", "/elsewhere") == .ioThread)
    }
}
