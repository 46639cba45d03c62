import Foundation
import KlaxonHTTP
import KlaxonMetrics
import KlaxonRouting
import KlaxonServer
import KlaxonTestSupport
import Testing

/// The CLI against a real HTTP server on loopback serving the alerting API over a routing engine.
@Suite struct AlertClientTests {
    /// A started server with the harness's routes; stop it with `shutdown()`.
    private func serve(_ harness: AlertingAPIHarness) throws -> (HTTPServer, String) {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, ioThreads: 1), handler: harness.router)
        try server.start()
        return (server, "http://127.0.0.1:\(server.port ?? 0)")
    }

    private func run(
        _ arguments: [String], url: String, environment: [String: String] = ["USER": "alice"]
    ) async throws -> RuleCommands.Outcome {
        guard case .alertClient(var command) = try CommandLineParser.parse(arguments) else {
            throw CommandLineError("not a client command", topic: .general)
        }
        command.url = command.url ?? url
        let client = AlertClient(environment: environment)
        let request = command
        return try await offCooperativePool { client.run(request) }
    }

    @Test func ackSilenceAndHistoryRoundTripThroughTheCLI() async throws {
        let harness = AlertingAPIHarness(token: "t0ken")
        let frozen = harness.fire("ExchangeFrozen", .p0, ["exchange": "okx"])
        harness.fire("LatencyHigh", .p2)
        let (server, url) = try serve(harness)
        defer { server.shutdown() }
        let token = ["USER": "alice", "KLAXON_API_TOKEN": "t0ken"]

        let table = try await run(["alerts"], url: url)
        #expect(table.exitStatus == 0)
        let lines = table.standardOutput.split(separator: "\n")
        #expect(lines.first?.hasPrefix("FINGERPRINT       STATE   SEVERITY  ALERTNAME") == true)
        #expect(lines.count == 3)
        #expect(table.standardOutput.contains("\(frozen.fingerprint)  firing  P0        ExchangeFrozen"))
        #expect(table.standardOutput.contains("exchange=okx"))

        let refused = try await run(["ack", "ExchangeFrozen"], url: url)
        #expect(refused.exitStatus == 1)
        #expect(refused.standardError.contains("401"))
        #expect(refused.standardError.contains("set KLAXON_API_TOKEN"))

        let acked = try await run(["ack", "ExchangeFrozen", "--comment", "on it"], url: url, environment: token)
        #expect(acked.standardOutput == "acked \(frozen.fingerprint) ExchangeFrozen\n")
        #expect(harness.engine.read { $0.allAcks[frozen.fingerprint]?.by } == "alice")
        let filtered = try await run(["alerts", "--filter", "alertname=ExchangeFrozen", "--json"], url: url)
        #expect(filtered.standardOutput.hasPrefix("{\"status\":\"success\""))
        #expect(filtered.standardOutput.contains("\"state\":\"acked\""))

        let unacked = try await run(["unack", frozen.fingerprint.description], url: url, environment: token)
        #expect(unacked.standardOutput == "unacked \(frozen.fingerprint) \n")
        let missing = try await run(["ack", "NoSuchAlert"], url: url, environment: token)
        #expect(missing.exitStatus == 1)
        #expect(
            missing.standardError
                == "klaxon: no firing alert is named NoSuchAlert (and it is not a 16-digit fingerprint)\n")

        let added = try await run(
            ["silence", "add", "alertname=LatencyHigh", "--duration", "2h", "--comment", "deploy"], url: url,
            environment: token)
        #expect(added.standardOutput == "silence-1\n")
        let listed = try await run(["silence", "ls"], url: url)
        #expect(
            listed.standardOutput.contains(
                "silence-1  active  2026-01-01T02:00:00.000Z  alice       alertname=\"LatencyHigh\"  deploy"))
        let expired = try await run(["silence", "expire", "silence-1"], url: url, environment: token)
        #expect(expired.standardOutput == "expired silence-1\n")
        #expect(try await run(["silence", "ls"], url: url).standardOutput == "No silences.\n")

        let history = try await run(["history", "--kind", "fired", "--limit", "1"], url: url)
        #expect(history.standardOutput.hasPrefix("TIME"))
        #expect(history.standardOutput.contains("fired"))
        #expect(history.standardOutput.contains("More records: add --cursor "))
        let bad = try await run(["history", "--severity", "P7"], url: url)
        #expect(bad.exitStatus == 1)
        #expect(bad.standardError.contains("invalid parameter \"severity\""))
    }

    @Test func unreachableKlaxonIsOneClearLine() async throws {
        let port = try FreePort.next()
        let outcome = try await run(["alerts"], url: "http://127.0.0.1:\(port)")
        #expect(outcome.exitStatus == 1)
        #expect(outcome.standardError.hasPrefix("klaxon: cannot reach Klaxon at http://127.0.0.1:\(port): "))
    }
}
