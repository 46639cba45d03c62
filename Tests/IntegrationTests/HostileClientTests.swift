import Foundation
import KlaxonTestSupport
import Testing

/// Bad input gets its status, and neither it nor a slow client harms the server or the stored values.
@Suite(.enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"))
struct HostileClientTests {
    private static let config = """
        server:
          max_body_bytes: 64KiB
          read_timeout: 1s
        """
    private static let good =
        "# TYPE engine_position gauge\nengine_position{symbol=\"ETH\"} 3.5\nengine_position{symbol=\"BTC\"} -1\n"
    private static let goodSeries = [
        "engine_position{instance=\"\",job=\"engine\",symbol=\"ETH\"}": "3.5",
        "engine_position{instance=\"\",job=\"engine\",symbol=\"BTC\"}": "-1",
    ]

    @Test(.enabled(if: raisedOpenFileLimit() >= 4_096, "the open-file limit is below 4096"))
    func elevenHundredHalfSentConnectionsLockNoClientOut() async throws {
        let klaxon = try await KlaxonInstance.start()
        var halfSent: [RawTCPConnection] = []
        defer { for connection in halfSent { connection.close() } }
        for _ in 0..<1_100 {
            let connection = try RawTCPConnection(port: klaxon.port)
            try connection.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ")
            halfSent.append(connection)
        }
        #expect(try await klaxon.push(Self.good, to: "/metrics/job/engine").status == 200)
        let exposed = try await klaxon.exposedSamples()
        for (series, value) in Self.goodSeries {
            #expect(exposed[series] == value, "\(series) not served with 1 100 half-sent connections open")
        }
    }

    @Test func eachAbuseGetsItsStatusAndTheServerAndValuesSurvive() async throws {
        let klaxon = try await KlaxonInstance.start(config: Self.config)
        #expect(try await klaxon.push(Self.good, to: "/metrics/job/engine").status == 200)

        // A malformed push: 400, a message naming the line, nothing applied.
        let malformed = try await klaxon.send(
            "POST", "/metrics/job/engine",
            body: Array("engine_position{symbol=\"ETH\"} 4\nengine_position{symbol=\"BTC\" 5\n".utf8))
        #expect(malformed.status == 400)
        #expect(malformed.text.contains("line 2"), "\(malformed.text)")

        // A body over server.max_body_bytes: 413.
        let oversized = try await raw(
            klaxon,
            "PUT /metrics/job/engine HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n"
                + String(repeating: "x", count: 1024))
        #expect(oversized.hasPrefix("HTTP/1.1 413"), "\(oversized.prefix(200))")

        // A 20 KiB header: 431.
        let hugeHeader = try await raw(
            klaxon,
            "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: \(String(repeating: "a", count: 20 << 10))\r\n\r\n")
        #expect(hugeHeader.hasPrefix("HTTP/1.1 431"), "\(hugeHeader.prefix(200))")

        // A client that never finishes its request is answered 408 and closed after read_timeout (1 s).
        let slow = try RawTCPConnection(port: klaxon.port)
        defer { slow.close() }
        let clock = ContinuousClock()
        let started = clock.now
        try slow.send("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        let answer = await slow.readUntilClose(timeout: .seconds(10))
        #expect(answer.ending == .closedByPeer)
        #expect(answer.text.hasPrefix("HTTP/1.1 408"), "\(answer.text.prefix(200))")
        #expect(started.duration(to: clock.now) < .seconds(5))

        #expect(klaxon.process.exitStatus == nil)
        #expect(try await klaxon.send("GET", "/-/healthy").status == 200)
        let exposed = try await klaxon.exposedSamples()
        for (series, value) in Self.goodSeries {
            #expect(exposed[series] == value, "\(series) changed after the refused requests")
        }
        #expect(try await klaxon.stop() == .exited(0))
    }

    private func raw(_ klaxon: KlaxonInstance, _ request: String) async throws -> String {
        try await RawTCPConnection.exchange(port: klaxon.port, sending: Array(request.utf8)).text
    }
}

/// Raises this test process's soft open-file limit to its hard limit (it holds both ends of
/// every connection a test opens) and returns the soft limit now in effect.
private func raisedOpenFileLimit() -> Int {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 0 }
    if limit.rlim_cur < limit.rlim_max {
        var raised = limit
        raised.rlim_cur = limit.rlim_max
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
    }
    return Int(clamping: limit.rlim_cur)
}
