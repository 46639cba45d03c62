import Foundation
import KlaxonRuntime
import Synchronization
import Testing

@testable import KlaxonHTTP

/// Server tests over loopback. Serialized: each blocks a test thread on socket reads.
@Suite(.serialized) struct HTTPServerTests {
    private struct FixedClock: WallClock {
        func nowMilliseconds() -> Int64 { 784_111_777_000 }
    }

    static func echoRouter() -> HTTPRouter {
        var router = HTTPRouter()
        router.add("GET", "/echo") { request in .text(request.target) }
        router.add("POST", "/echo") { request in HTTPResponse(body: request.body) }
        return router
    }

    private func startServer(
        _ configure: (inout HTTPServerConfiguration) -> Void = { _ in }
    ) throws -> (HTTPServer, Int) {
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0)
        configure(&configuration)
        let server = HTTPServer(configuration: configuration, handler: Self.echoRouter())
        try server.start()
        return (server, try #require(server.port))
    }

    @Test func keepAliveReusesTheConnection() throws {
        let (server, port) = try startServer()
        defer { server.shutdown() }
        let connection = try RawConnection(port: port)
        for n in 1...3 {
            try connection.send("GET /echo?n=\(n) HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try connection.readResponse()
            #expect(response.statusCode == 200)
            #expect(response.text == "/echo?n=\(n)")
            #expect(response.header("Connection") == nil)
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let (server, port) = try startServer()
        defer { server.shutdown() }
        let connection = try RawConnection(port: port)
        try connection.send(
            "GET /echo?n=1 HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody"
                + "GET /echo?n=3 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /echo?n=4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        let bodies = try (0..<4).map { _ in try connection.readResponse().text }
        #expect(bodies == ["/echo?n=1", "body", "/echo?n=3", "/echo?n=4"])
        #expect(try connection.readUntilClosed().isEmpty)
    }

    @Test(arguments: [
        ("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n", 413),
        ("GET /echo HTTP/1.1\r\nHost: x\r\nX-Big: \(String(repeating: "b", count: 20 * 1024))\r\n\r\n", 431),
        ("HELLO THERE\r\n\r\n", 400),
        ("GET / HTTP/1.1\r\n\r\n", 400),
    ])
    func rejectedRequestsGetTheirStatusThenClose(request: String, status: Int) throws {
        let (server, port) = try startServer { $0.limits.maxBodyBytes = 1024 }
        defer { server.shutdown() }
        let connection = try RawConnection(port: port)
        try connection.send(request)
        let response = try connection.readResponse()
        #expect(response.statusCode == status)
        #expect(response.header("Connection") == "close")
        #expect(try connection.readUntilClosed().isEmpty)
    }

    @Test func halfSentHeadIsAnswered408AfterTheHeadTimeoutBeforeTheReadTimeout() throws {
        let (server, port) = try startServer {
            $0.requestHeadTimeout = .milliseconds(200)
            $0.requestReadTimeout = .seconds(60)
        }
        defer { server.shutdown() }
        let connection = try RawConnection(port: port)
        try connection.send("GET /echo HTTP/1.1\r\nHost: x\r\n")
        let response = try connection.readResponse()
        #expect(response.statusCode == 408)
        #expect(response.text.contains("request line and headers"))
        #expect(try connection.readUntilClosed().isEmpty)
    }

    @Test func slowClientIsAnswered408AfterTheReadTimeout() throws {
        let (server, port) = try startServer { $0.requestReadTimeout = .milliseconds(200) }
        defer { server.shutdown() }
        let connection = try RawConnection(port: port)
        let started = ContinuousClock.now
        try connection.send("GET /echo HTTP/1.1\r\nHost: x\r\n")
        let response = try connection.readResponse()
        #expect(response.statusCode == 408)
        #expect(ContinuousClock.now - started >= .milliseconds(150))
        #expect(try connection.readUntilClosed().isEmpty)
    }

    @Test func idleConnectionIsClosedAfterTheIdleTimeout() throws {
        let (server, port) = try startServer { $0.idleTimeout = .milliseconds(200) }
        defer { server.shutdown() }
        let connection = try RawConnection(port: port)
        try connection.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.readResponse().statusCode == 200)
        #expect(try connection.readUntilClosed().isEmpty)
    }

    @Test func headGetsHeadersWithoutBody() throws {
        let (server, port) = try startServer()
        defer { server.shutdown() }
        let response = try HTTPClient().send("HEAD", "http://127.0.0.1:\(port)/echo?abc")
        #expect(response.status == .ok)
        #expect(response.headers["Content-Length"] == "\("/echo?abc".utf8.count)")
        #expect(response.body.isEmpty)
    }

    @Test func unknownPathIs404AndWrongMethodIs405WithAllow() throws {
        let (server, port) = try startServer()
        defer { server.shutdown() }
        let client = HTTPClient()
        #expect(try client.get("http://127.0.0.1:\(port)/missing").status == .notFound)
        let response = try client.delete("http://127.0.0.1:\(port)/echo")
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers["Allow"] == "GET, HEAD, POST")
    }

    @Test func atTheConnectionLimitTheOldestIdleConnectionMakesWay() throws {
        let (server, port) = try startServer {
            $0.maxConnections = 2
            $0.ioThreads = 1
        }
        defer { server.shutdown() }
        let first = try RawConnection(port: port)
        let second = try RawConnection(port: port)
        for connection in [first, second] {
            try connection.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try connection.readResponse().statusCode == 200)
        }
        let third = try RawConnection(port: port)
        try third.send("GET /echo?third HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try third.readResponse().text == "/echo?third")
        #expect(try first.readUntilClosed().isEmpty)
        try second.send("GET /echo?second HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try second.readResponse().text == "/echo?second")
        #expect(server.counters.snapshot() == HTTPConnectionCounters.Snapshot(open: 2, evicted: 1, refused: 0))
    }

    @Test func responsesCarryTheDateOfTheInjectedClock() throws {
        let (server, port) = try startServer { $0.clock = FixedClock() }
        defer { server.shutdown() }
        let response = try HTTPClient().get("http://127.0.0.1:\(port)/echo")
        #expect(response.headers["Date"] == "Sun, 06 Nov 1994 08:49:37 GMT")
    }

    @Test func http10RequestIsAnsweredThenClosed() throws {
        let (server, port) = try startServer()
        defer { server.shutdown() }
        let connection = try RawConnection(port: port)
        try connection.send("GET /echo HTTP/1.0\r\n\r\n")
        let response = try connection.readResponse()
        #expect(response.text == "/echo")
        #expect(response.header("Connection") == "close")
        #expect(try connection.readUntilClosed().isEmpty)
    }

    @Test func gracefulShutdownFinishesTheRequestInFlight() async throws {
        let (server, port) = try startServer()
        let running = Task { try await server.run() }
        // The client blocks on its sockets, on a thread of its own (`onOwnThread`).
        let seen = try await onOwnThread { () throws -> InFlightObservation in
            let connection = try RawConnection(port: port)
            let idle = try RawConnection(port: port)
            try idle.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
            var seen = InFlightObservation(idleStatus: try idle.readResponse().statusCode)
            try connection.send(
                "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n")
            seen.interimStatus = try connection.readResponse().statusCode
            try connection.send("hello")
            running.cancel()
            seen.idleClosed = try idle.readUntilClosed().isEmpty
            try connection.send("world")
            let response = try connection.readResponse()
            seen.status = response.statusCode
            seen.text = response.text
            seen.connectionHeader = response.header("Connection")
            seen.closedAfterTheResponse = try connection.readUntilClosed().isEmpty
            connection.close()
            return seen
        }
        #expect(seen.idleStatus == 200)
        // The interim 100 proves the server held a half-read request when the stop arrived.
        #expect(seen.interimStatus == 100)
        #expect(seen.idleClosed)
        #expect(seen.status == 200 && seen.text == "helloworld")
        #expect(seen.connectionHeader == "close")
        #expect(seen.closedAfterTheResponse)
        try await running.value
        #expect(throws: RawConnection.Failure.self) { try RawConnection(port: port) }
    }

    private struct InFlightObservation: Sendable {
        var idleStatus: Int
        var interimStatus = 0
        var idleClosed = false
        var status = 0
        var text = ""
        var connectionHeader: String?
        var closedAfterTheResponse = false
    }

    @Test func synchronousShutdownClosesIdleConnections() throws {
        let (server, port) = try startServer()
        let connection = try RawConnection(port: port)
        try connection.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.readResponse().statusCode == 200)
        server.shutdown()
        #expect(try connection.readUntilClosed().isEmpty)
    }

    @Test func largeResponsesSurvivePartialWrites() throws {
        let big = (0..<(4 * 1024 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, ioThreads: 1),
            handler: HTTPHandlerClosure { _ in HTTPResponse(body: big) })
        try server.start()
        defer { server.shutdown() }
        let port = try #require(server.port)
        let connection = try RawConnection(port: port)
        try connection.send("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try connection.readResponse().body == big)
        #expect(try connection.readResponse().body == big)
    }

    @Test func manyConcurrentClientsAreAllServed() throws {
        let (server, port) = try startServer()
        defer { server.shutdown() }
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 16) { worker in
            let client = HTTPClient(timeout: .seconds(10))
            for n in 0..<25 {
                do {
                    let response = try client.get("http://127.0.0.1:\(port)/echo?w=\(worker)&n=\(n)")
                    if response.text != "/echo?w=\(worker)&n=\(n)" {
                        failures.withLock { $0.append("worker \(worker) request \(n): \(response.text)") }
                    }
                } catch {
                    failures.withLock { $0.append("worker \(worker) request \(n): \(error)") }
                }
            }
        }
        #expect(failures.withLock { $0 } == [])
    }

    @Test func bindingAPortInUseFailsWithADescriptiveError() throws {
        let (server, port) = try startServer()
        defer { server.shutdown() }
        let second = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port), handler: Self.echoRouter())
        #expect {
            try second.start()
        } throws: { error in
            "\(error)".contains("bind 127.0.0.1:\(port)") && "\(error)".contains("in use")
        }
    }
}
