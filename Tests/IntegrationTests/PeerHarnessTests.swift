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
    func pythonClientParsesExposition() async throws {
        let samples = try await PythonClient.parseExposition(
            """
            # HELP engine_loop_latency_seconds Main loop latency.
            # TYPE engine_loop_latency_seconds gauge
            engine_loop_latency_seconds{venue="binance"} 0.012
            engine_loop_latency_seconds{venue="okx"} +Inf

            """
        )
        #expect(
            samples == [
                PythonParsedSample(name: "engine_loop_latency_seconds", labels: ["venue": "binance"], value: "0.012"),
                PythonParsedSample(name: "engine_loop_latency_seconds", labels: ["venue": "okx"], value: "inf"),
            ]
        )
        await #expect(throws: PythonParseError.self) {
            try await PythonClient.parseExposition("engine_loop_latency_seconds{venue=\"binance} 1\n")
        }
    }

    @Test(.enabled(if: Executables.shouldRun(needing: .pushgateway), "pushgateway is not installed"))
    func pushgatewayAcceptsAPushAndExposesIt() async throws {
        let pushgateway = try await PushgatewayPeer.start()
        let pushed = try await pushgateway.push(
            "PUT",
            path: "/metrics/job/engine/instance/host-1",
            body: "# TYPE engine_loop_latency_seconds gauge\nengine_loop_latency_seconds{venue=\"binance\"} 0.012\n"
        )
        #expect(pushed.status == 200)
        let exposed = try await pushgateway.metrics()
        #expect(
            exposed.contains(
                #"engine_loop_latency_seconds{instance="host-1",job="engine",venue="binance"} 0.012"#
            ),
            "\(exposed)"
        )

        // A request trickled a few bytes at a time still gets its answer.
        let connection = try RawTCPConnection(port: pushgateway.port)
        try await connection.trickle(
            Array("GET /-/ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8),
            chunkSize: 7,
            interval: .milliseconds(5)
        )
        let reply = await connection.readUntilClose()
        #expect(reply.text.hasPrefix("HTTP/1.1 200 OK"), "\(reply.text)")
        #expect(reply.ending == .closedByPeer)

        try await pushgateway.stop()
        #expect(pushgateway.process.exitStatus == .exited(0))
    }
}
