import Dispatch
import Foundation
import Synchronization
import Testing

@testable import KlaxonHTTP

/// A handler a test holds mid-request: it signals when it starts and returns only when released.
final class HeldHandler: Sendable {
    private let started = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)
    let calls = Atomic<Int>(0)

    func handle(_ request: HTTPRequest) -> HTTPResponse {
        calls.add(1, ordering: .relaxed)
        started.signal()
        released.wait()
        return .text("held " + request.target)
    }

    /// Blocks until the handler has started once more; false after 10 s.
    func waitUntilStarted() -> Bool { started.wait(timeout: .now() + 10) == .success }

    func release() { released.signal() }
}

/// Routes that run on worker threads, over loopback. Serialized: each blocks a test thread on socket reads.
@Suite(.serialized) struct HTTPServerWorkerTests {
    private func startServer(
        held: HeldHandler, _ configure: (inout HTTPServerConfiguration) -> Void = { _ in }
    ) throws -> (HTTPServer, Int) {
        var router = HTTPRouter()
        router.add("GET", "/echo") { request in .text(request.target) }
        router.add("GET", "/slow", execution: .worker) { request in held.handle(request) }
        var configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, ioThreads: 1)
        configure(&configuration)
        let server = HTTPServer(configuration: configuration, handler: router)
        try server.start()
        return (server, try #require(server.port))
    }

    @Test func aHeldWorkerRouteDoesNotDelayRequestsOnTheIOThread() throws {
        let held = HeldHandler()
        let (server, port) = try startServer(held: held)
        defer { server.shutdown() }
        let slow = try RawConnection(port: port)
        try slow.send("GET /slow?a HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(held.waitUntilStarted())
        // One I/O thread serves every connection: it answers while the slow route is provably still held.
        let fast = try RawConnection(port: port)
        for n in 0..<3 {
            try fast.send("GET /echo?n=\(n) HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try fast.readResponse().text == "/echo?n=\(n)")
        }
        #expect(slow.nothingReceived())
        held.release()
        let response = try slow.readResponse()
        #expect(response.statusCode == 200)
        #expect(response.text == "held /slow?a")
    }

    @Test func pipelinedRequestsBehindAWorkerRouteKeepTheirOrder() throws {
        let held = HeldHandler()
        let (server, port) = try startServer(held: held)
        defer { server.shutdown() }
        let connection = try RawConnection(port: port)
        try connection.send(
            "GET /echo?n=1 HTTP/1.1\r\nHost: x\r\n\r\nGET /slow?n=2 HTTP/1.1\r\nHost: x\r\n\r\n"
                + "GET /echo?n=3 HTTP/1.1\r\nHost: x\r\n\r\nGET /slow?n=4 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        #expect(try connection.readResponse().text == "/echo?n=1")
        #expect(held.waitUntilStarted())
        #expect(connection.nothingReceived())
        held.release()
        #expect(try connection.readResponse().text == "held /slow?n=2")
        #expect(try connection.readResponse().text == "/echo?n=3")
        #expect(held.waitUntilStarted())
        held.release()
        let last = try connection.readResponse()
        #expect(last.text == "held /slow?n=4")
        #expect(last.header("Connection") == "close")
        #expect(try connection.readUntilClosed().isEmpty)
    }

    @Test func aFullWorkerQueueIsAnswered503AtOnce() throws {
        let held = HeldHandler()
        let (server, port) = try startServer(held: held) {
            $0.workerThreads = 1
            $0.maxQueuedWork = 1
        }
        defer { server.shutdown() }
        let running = try RawConnection(port: port)
        try running.send("GET /slow?1 HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(held.waitUntilStarted())
        let queued = try RawConnection(port: port)
        try queued.send("GET /slow?2 HTTP/1.1\r\nHost: x\r\n\r\n")
        // A round trip through the one I/O thread, started after the queued request was sent,
        // returns only once that thread has read (and queued) it.
        let probe = try RawConnection(port: port)
        try probe.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try probe.readResponse().statusCode == 200)
        let refused = try RawConnection(port: port)
        try refused.send("GET /slow?3 HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try refused.readResponse()
        #expect(response.statusCode == 503)
        #expect(response.text.contains("slow requests waiting"))
        held.release()
        #expect(try running.readResponse().text == "held /slow?1")
        #expect(held.waitUntilStarted())
        held.release()
        #expect(try queued.readResponse().text == "held /slow?2")
    }

    @Test func aClientThatLeavesWhileItsRequestIsHeldDoesNotDisturbOthers() throws {
        let held = HeldHandler()
        let (server, port) = try startServer(held: held)
        defer { server.shutdown() }
        let leaving = try RawConnection(port: port)
        try leaving.send("GET /slow?gone HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(held.waitUntilStarted())
        leaving.close()
        held.release()
        let next = try RawConnection(port: port)
        try next.send("GET /slow?next HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(held.waitUntilStarted())
        held.release()
        #expect(try next.readResponse().text == "held /slow?next")
    }

    @Test func gracefulStopWaitsForTheWorkerAndClosesAfterItsResponse() async throws {
        let held = HeldHandler()
        let (server, port) = try startServer(held: held)
        let running = Task { try await server.run() }
        // The client blocks on its sockets: on a thread of its own, so the task running the server is
        // scheduled even while other tests hold every thread of the concurrency pool. What it saw is
        // checked here, in the test's own context.
        let seen = try await onOwnThread { () throws -> GracefulStopObservation in
            let connection = try RawConnection(port: port)
            try connection.send("GET /slow?stop HTTP/1.1\r\nHost: x\r\n\r\n")
            var seen = GracefulStopObservation(workerStarted: held.waitUntilStarted())
            let idle = try RawConnection(port: port)
            try idle.send("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n")
            seen.idleStatus = try idle.readResponse().statusCode
            running.cancel()
            seen.idleClosedBeforeTheWorkerAnswered = try idle.readUntilClosed().isEmpty
            held.release()
            let response = try connection.readResponse()
            seen.workerText = response.text
            seen.workerConnectionHeader = response.header("Connection")
            seen.closedAfterTheResponse = try connection.readUntilClosed().isEmpty
            connection.close()
            return seen
        }
        #expect(seen.workerStarted && seen.idleStatus == 200)
        // The idle connection closing proves the stop has begun before the worker answers.
        #expect(seen.idleClosedBeforeTheWorkerAnswered)
        #expect(seen.workerText == "held /slow?stop")
        #expect(seen.workerConnectionHeader == "close")
        #expect(seen.closedAfterTheResponse)
        try await running.value
    }

    private struct GracefulStopObservation: Sendable {
        var workerStarted: Bool
        var idleStatus = 0
        var idleClosedBeforeTheWorkerAnswered = false
        var workerText = ""
        var workerConnectionHeader: String?
        var closedAfterTheResponse = false
    }

    @Test func whenEveryConnectionAwaitsAWorkerANewClientIsRefused503() throws {
        let held = HeldHandler()
        let (server, port) = try startServer(held: held) { $0.maxConnections = 1 }
        defer { server.shutdown() }
        let busy = try RawConnection(port: port)
        try busy.send("GET /slow?busy HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(held.waitUntilStarted())
        let refused = try RawConnection(port: port)
        let text = String(decoding: try refused.readUntilClosed(), as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 503 "))
        #expect(server.counters.snapshot().refused == 1)
        held.release()
        #expect(try busy.readResponse().text == "held /slow?busy")
    }

    @Test func manyHalfSentConnectionsDoNotLockOutANewClient() throws {
        let held = HeldHandler()
        let (server, port) = try startServer(held: held) {
            $0.maxConnections = 32
            $0.ioThreads = 2
        }
        defer { server.shutdown() }
        var halfSent: [RawConnection] = []
        for _ in 0..<48 {
            let connection = try RawConnection(port: port)
            try connection.send("GET /echo HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            halfSent.append(connection)
        }
        let client = try RawConnection(port: port)
        try client.send("GET /echo?new HTTP/1.1\r\nHost: x\r\n\r\n")
        #expect(try client.readResponse().text == "/echo?new")
        withExtendedLifetime(halfSent) {}
    }
}
