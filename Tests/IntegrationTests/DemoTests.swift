import Foundation
import KlaxonTestSupport
import Testing

/// `klaxon demo` as a new user runs it: the whole path, KPI → rule → route → message, on the terminal.
@Suite(.enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"))
struct DemoTests {
    @Test func theDemoPrintsWhereToLookThenAnIncidentsMessageAndTakesInjectedOnes() async throws {
        let port = try FreePort.next()
        let demo = try PeerProcess(
            executable: Executables.requireKlaxon(),
            arguments: ["demo", "--listen", "127.0.0.1:\(port)", "--incident", "exchange-frozen", "--every", "10m"])
        try await waitUntil("the demo to print where to look", timeout: .seconds(20)) {
            if let status = demo.exitStatus {
                throw KlaxonInstanceError(message: "demo \(status): \(demo.outputForDiagnosis)")
            }
            return demo.standardOutput.contains("Klaxon demo at http://127.0.0.1:\(port)")
        }
        #expect(demo.standardOutput.contains("/api/v1/demo/incidents/NAME"))
        try await waitUntil("the injected incident's page on the console", timeout: .seconds(20)) {
            demo.standardOutput.contains("🚨 P0 FIRING: ExchangeFrozen")
        }
        #expect(demo.standardOutput.contains("Summary: Exchange okx is FROZEN"))

        let injected = try await LoopbackHTTPClient.send(
            "POST", port: port, path: "/api/v1/demo/incidents/kill-switch", headers: [:], body: nil)
        #expect(injected.status == 202)
        try await waitUntil("the kill switch on the console", timeout: .seconds(20)) {
            demo.standardOutput.contains("🚨 P0 FIRING: KillSwitchActivated")
        }
        let alerts = try await LoopbackHTTPClient.send(
            "GET", port: port, path: "/api/v1/alerts", headers: [:], body: nil)
        #expect(alerts.text.contains("\"alertname\":\"KillSwitchActivated\""))
        let unknown = try await LoopbackHTTPClient.send(
            "POST", port: port, path: "/api/v1/demo/incidents/meteor", headers: [:], body: nil)
        #expect(unknown.status == 404)
        #expect(unknown.text.contains("exchange-frozen"), "the error lists the known incidents")
        let metrics = try await LoopbackHTTPClient.send("GET", port: port, path: "/metrics", headers: [:], body: nil)
        #expect(metrics.text.contains("engine_orders_submitted_total{exchange=\"binance\""))
        #expect(try await demo.stop(gracePeriod: .seconds(15)) == .exited(0))
    }
}
