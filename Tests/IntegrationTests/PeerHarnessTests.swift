import Foundation
import KlaxonTestSupport
import Testing

/// The peer launchers the integration tests judge Klaxon with, checked against the peers alone.
@Suite struct PeerHarnessTests {
    @Test(.enabled(if: Executables.shouldRun(needing: .promtool), "promtool is not installed"))
    func promtoolFindsNothingInACleanBody() async throws {
        let findings = try await Promtool.checkMetrics(
            """
            # HELP engine_orders_total Orders sent.
            # TYPE engine_orders_total counter
            engine_orders_total{venue="binance"} 42

            """
        )
        #expect(findings.isClean, "\(findings)")
    }

    @Test(.enabled(if: Executables.shouldRun(needing: .promtool), "promtool is not installed"))
    func promtoolReportsLintFindings() async throws {
        let findings = try await Promtool.checkMetrics("# TYPE engine_orders counter\nengine_orders 1\n")
        #expect(!findings.isClean)
        #expect(findings.problems.contains { $0.contains("engine_orders") && $0.contains("_total") }, "\(findings)")
    }

    @Test(.enabled(if: Executables.shouldRun(needing: .promtool), "promtool is not installed"))
    func promtoolRefusesABodyItCannotParse() async throws {
        let findings = try await Promtool.checkMetrics("engine_orders_total{venue= 1\n")
        #expect(findings.exitStatus != .exited(0))
        #expect(findings.problems.contains { $0.contains("pars") }, "\(findings)")
    }

    @Test(.enabled(if: Executables.shouldRun(needing: .prometheus), "prometheus is not installed"))
    func prometheusScrapesATargetAndAnswersQueries() async throws {
        // Prometheus scraping its own /metrics stands in for Klaxon until Klaxon serves HTTP.
        let port = try FreePort.next()
        let prometheus = try await PrometheusPeer.start(targets: ["127.0.0.1:\(port)"], job: "self", port: port)
        do {
            try await prometheus.waitUntilTargetsUp(count: 1)
            let up = try await prometheus.query("up")
            #expect(up.count == 1)
            #expect(up.first?.metric["job"] == "self")
            #expect(up.first?.metric["instance"] == "127.0.0.1:\(port)")
            #expect(up.first?.value == "1")

            await #expect(throws: PrometheusPeerError.self) { try await prometheus.query("sum(") }

            // A malformed request line: the server must answer 400 and close the connection.
            let reply = try await RawTCPConnection.exchange(port: port, sending: Array("GET\r\n\r\n".utf8))
            #expect(reply.text.hasPrefix("HTTP/1.1 400"), "\(reply.text)")
            #expect(reply.ending == .closedByPeer)
        } catch {
            try await prometheus.stop()
            throw error
        }
        try await prometheus.stop()
        #expect(prometheus.process.exitStatus == .exited(0))
    }

    @Test(.enabled(if: Executables.shouldRunPythonClientTests, "python3 with prometheus_client is not installed"))
    func pythonPrometheusClientIsImportable() async throws {
        let python = try PeerProcess(
            executable: Executables.require(.python3),
            arguments: ["-c", "import prometheus_client, sys; sys.stdout.write('ok')"]
        )
        #expect(try await python.waitForExit() == .exited(0), "\(python.outputForDiagnosis)")
        #expect(python.standardOutput == "ok")
    }
}
