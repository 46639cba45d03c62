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

    /// The connections are held by a helper process: a test process with over a thousand
    /// descriptors open breaks Foundation's `Process.run()` for every test beside it.
    @Test(.enabled(if: Executables.shouldRun(needing: .python3), "python3 is not installed"))
    func elevenHundredHalfSentConnectionsLockNoClientOut() async throws {
        let klaxon = try await KlaxonInstance.start()
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Peers/halfsent.py").standardizedFileURL
        let holder = try PeerProcess(
            executable: try Executables.require(.python3),
            arguments: [script.path, "127.0.0.1", String(klaxon.port), "1100"])
        defer { holder.send(signal: SIGTERM) }
        try await waitUntil("1 100 half-sent connections to be open", timeout: .seconds(30)) {
            if let status = holder.exitStatus {
                throw KlaxonInstanceError(message: "halfsent.py \(status):\n\(holder.outputForDiagnosis)")
            }
            return holder.standardOutput.contains("open 1100")
        }
        try await waitUntil("Klaxon to hold the 1 100 connections", timeout: .seconds(30)) {
            try await klaxon.exposedSamples()["klaxon_http_connections"].flatMap(Double.init) ?? 0 >= 1_100
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
