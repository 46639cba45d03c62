import Foundation
import KlaxonTestSupport
import Testing

/// Klaxon beside a real Alertmanager: it forwards its alerts to Alertmanager's API, and its own
/// webhook payload has the fields and labels Alertmanager's webhook sends for the same alert.
@Suite(
    .enabled(
        if: (Executables.klaxon() != nil && Executables.path(of: .alertmanager) != nil) || Executables.peersRequired,
        "the klaxon binary or prometheus-alertmanager is missing"))
struct AlertmanagerForwardingTests {
    /// A real Alertmanager on a free port whose one route sends everything at once to `webhook`.
    private func startAlertmanager(webhook: HTTPStandIn) throws -> (PeerProcess, UInt16) {
        let directory = try PeerDirectories.make(for: "alertmanager")
        let port = try FreePort.next()
        let config = """
            route:
              receiver: hook
              group_by: [alertname]
              group_wait: 0s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: hook
                webhook_configs:
                  - url: \(webhook.baseURL)/alertmanager
                    send_resolved: true
            """
        let file = directory.appendingPathComponent("alertmanager.yml")
        try config.write(to: file, atomically: true, encoding: .utf8)
        let process = try PeerProcess(
            executable: try Executables.require(.alertmanager),
            arguments: [
                "--config.file=\(file.path)", "--storage.path=\(directory.appendingPathComponent("data").path)",
                "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
            ])
        return (process, port)
    }

    private func json(_ body: [UInt8]) -> [String: Any]? {
        try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]
    }

    @Test func forwardedAlertsReachAlertmanagerAndBothWebhookPayloadsHaveTheSameShape() async throws {
        let webhook = try NotifierStandIns.webhook()
        defer { webhook.stop() }
        let (alertmanager, amPort) = try startAlertmanager(webhook: webhook)
        defer { alertmanager.send(signal: SIGTERM) }
        try await waitUntil("Alertmanager to be ready", timeout: .seconds(20)) {
            if let status = alertmanager.exitStatus {
                throw KlaxonInstanceError(message: "alertmanager \(status):\n\(alertmanager.outputForDiagnosis)")
            }
            return (try? await LoopbackHTTPClient.send(port: amPort, path: "/-/ready"))?.status == 200
        }
        let telegram = try NotifierStandIns.telegram(token: AlertDeliveryTests.token)
        defer { telegram.stop() }
        let extra = """
            receivers:
              - name: central
                alertmanager: {urls: ["http://127.0.0.1:\(amPort)"]}
              - name: hook
                webhook: {url: "\(webhook.baseURL)/klaxon"}
            routing:
              policy:
                prod: {P0: [central, hook]}
              escalation: {max: 0}
            """
        let config = """
            environment: prod
            rule_files: ['\(try AlertDeliveryTests.rules().path)/*.rules.yml']
            \(extra)
            """
        let klaxon = try await KlaxonInstance.start(config: config)
        _ = try await klaxon.push("exchange_orderbook_age_seconds{exchange=\"binance\"} 42\n", to: "/metrics/job/feed")

        try await waitUntil("both webhook payloads to arrive", timeout: .seconds(20)) {
            let paths = Set(webhook.requests.map(\.path))
            return paths.contains("/klaxon") && paths.contains("/alertmanager")
        }
        let alerts = try await LoopbackHTTPClient.send(port: amPort, path: "/api/v2/alerts")
        let listed = try #require(try? JSONSerialization.jsonObject(with: Data(alerts.body)) as? [[String: Any]])
        let forwardedLabels = try #require(listed.first?["labels"] as? [String: String])
        #expect(forwardedLabels["alertname"] == "ExchangeFrozen")
        #expect(forwardedLabels["exchange"] == "binance")
        #expect(forwardedLabels["severity"] == "P0")

        let ours = try #require(webhook.requests.first { $0.path == "/klaxon" }.flatMap { json($0.body) })
        let theirs = try #require(webhook.requests.first { $0.path == "/alertmanager" }.flatMap { json($0.body) })
        #expect(Set(ours.keys) == Set(theirs.keys))
        let ourAlert = try #require((ours["alerts"] as? [[String: Any]])?.first)
        let theirAlert = try #require((theirs["alerts"] as? [[String: Any]])?.first)
        #expect(Set(ourAlert.keys) == Set(theirAlert.keys))
        #expect(ourAlert["labels"] as? [String: String] == theirAlert["labels"] as? [String: String])
        #expect(ourAlert["fingerprint"] as? String == theirAlert["fingerprint"] as? String)
        #expect(ours["status"] as? String == "firing" && theirs["status"] as? String == "firing")
        #expect(ours["version"] as? String == theirs["version"] as? String)
        #expect(try await klaxon.stop() == .exited(0))
    }
}
