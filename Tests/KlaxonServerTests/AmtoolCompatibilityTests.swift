import Foundation
import KlaxonHTTP
import KlaxonMetrics
import KlaxonRouting
import KlaxonServer
import KlaxonTestSupport
import Testing

/// The real amtool (Alertmanager's CLI) against the Alertmanager v2 endpoints on loopback:
/// it must read Klaxon's alerts, silences and status, and add and expire silences.
@Suite struct AmtoolCompatibilityTests {
    static let executable = Executables.find("amtool")

    /// Runs amtool with `arguments` against `url`; returns its exit status and output.
    private func amtool(_ arguments: [String], url: String) async throws -> (status: Int32, output: String) {
        guard let executable = Self.executable else {
            throw CommandLineError("amtool is not installed", topic: .general)
        }
        return try await offCooperativePool {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["--alertmanager.url=\(url)"] + arguments
            // Standard error only carries amtool's warning that Klaxon's version is not its own.
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
    }

    @Test(
        .enabled(
            if: executable != nil || Executables.peersRequired,
            "amtool is not installed (Debian: prometheus-alertmanager)"
        ))
    func amtoolReadsAlertsAndManagesSilences() async throws {
        let harness = AlertingAPIHarness()
        // amtool stamps silences with the real time, so the routing clock reads it too.
        harness.clock.set(milliseconds: Int64(Date().timeIntervalSince1970 * 1000))
        harness.fire("ExchangeFrozen", .p0, ["exchange": "okx"])
        harness.fire("LatencyHigh", .p2)
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, ioThreads: 1), handler: harness.router)
        try server.start()
        defer { server.shutdown() }
        let url = "http://127.0.0.1:\(server.port ?? 0)"

        let alerts = try await amtool(["alert", "query", "-o", "json"], url: url)
        #expect(alerts.status == 0, "\(alerts.output)")
        #expect(alerts.output.contains("ExchangeFrozen") && alerts.output.contains("LatencyHigh"))

        let added = try await amtool(
            ["silence", "add", "alertname=LatencyHigh", "--duration=2h", "--author=alice", "--comment=deploy"], url: url
        )
        #expect(added.status == 0, "\(added.output)")
        #expect(added.output.trimmingCharacters(in: .whitespacesAndNewlines) == "silence-1")
        #expect(harness.engine.read { $0.allSilences.first?.createdBy } == "alice")

        // Past amtool's start time (taken after ours), so the silence is active.
        harness.clock.advance(by: 60_000)
        // amtool asks for unsilenced alerts unless told otherwise.
        let active = try await amtool(["alert", "query", "-o", "json"], url: url)
        #expect(active.output.contains("ExchangeFrozen") && !active.output.contains("LatencyHigh"))
        let silenced = try await amtool(["alert", "query", "--silenced", "-o", "json"], url: url)
        #expect(silenced.status == 0, "\(silenced.output)")
        #expect(silenced.output.contains("LatencyHigh"))
        let query = try await amtool(["silence", "query", "-o", "json"], url: url)
        #expect(query.status == 0, "\(query.output)")
        #expect(query.output.contains("\"id\":\"silence-1\""))

        let expired = try await amtool(["silence", "expire", "silence-1"], url: url)
        #expect(expired.status == 0, "\(expired.output)")
        #expect(harness.engine.read { $0.allSilences.first?.state(at: harness.clock.nowMilliseconds()) } == .expired)

        let status = try await amtool(["config", "show"], url: url)
        #expect(status.status == 0, "\(status.output)")
        #expect(status.output.contains("telegram"))
    }
}
