import Foundation
import KlaxonTestSupport
import Testing

/// `serve` from a push to a person: the rule fires, routing sends it to the Telegram stand-in,
/// the resolution follows, and the audit trail and receiver status say so.
@Suite(.enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"))
struct AlertDeliveryTests {
    static let token = "123456:test-token"

    static func config(rules: URL, telegram: HTTPStandIn, extra: String = "") -> String {
        """
        environment: prod
        rule_files: ['\(rules.path)/*.rules.yml']
        receivers:
          - name: telegram
            telegram:
              bot_token: "\(token)"
              chat_id: "-100200"
              api_url: \(telegram.baseURL)
        routing:
          escalation: {max: 0}
        \(extra)
        """
    }

    static func rules() throws -> URL {
        let directory = try PeerDirectories.make(for: "delivery-rules")
        let text = """
            groups:
              - name: venues
                interval: 1m
                rules:
                  - alert: ExchangeFrozen
                    expr: exchange_orderbook_age_seconds > 10
                    labels:
                      severity: P0
                      source: ExchangeHealth
                      rule_id: D75.HEALTH.FROZEN
                    annotations:
                      summary: "order book of {{ $labels.exchange }} stale for {{ $value }}s <b>&amp;</b>"
            """
        try text.write(to: directory.appendingPathComponent("venues.rules.yml"), atomically: true, encoding: .utf8)
        return directory
    }

    private func messages(_ telegram: HTTPStandIn) -> [String] {
        telegram.requests.compactMap { request in
            guard let object = try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any] else {
                return nil
            }
            return object["text"] as? String
        }
    }

    @Test func aP0ReachesTelegramThenItsResolutionAndTheAuditTrailRecordsBoth() async throws {
        let telegram = try NotifierStandIns.telegram(token: Self.token)
        defer { telegram.stop() }
        let klaxon = try await KlaxonInstance.start(
            config: Self.config(
                rules: try Self.rules(), telegram: telegram, extra: "external_url: https://klaxon.example/ops/"))
        _ = try await klaxon.push("exchange_orderbook_age_seconds{exchange=\"binance\"} 42\n", to: "/metrics/job/feed")
        try await waitUntil("the P0 to reach Telegram", timeout: .seconds(10)) {
            messages(telegram).contains { $0.contains("P0 FIRING: ExchangeFrozen") }
        }
        let firing = try #require(messages(telegram).first)
        #expect(firing.contains("binance"))
        #expect(firing.contains("POST https://klaxon.example/ops/api/v1/alerts/"), "links use external_url")
        #expect(firing.contains("&lt;b&gt;&amp;amp;&lt;/b&gt;"), "annotation text is escaped for Telegram HTML")
        #expect(!firing.contains("<b>&amp;</b>"))
        #expect(telegram.requests.first?.headers["Idempotency-Key"] != nil)

        _ = try await klaxon.push("exchange_orderbook_age_seconds{exchange=\"binance\"} 1\n", to: "/metrics/job/feed")
        try await waitUntil("the resolution to reach Telegram", timeout: .seconds(10)) {
            messages(telegram).contains { $0.contains("P0 RESOLVED: ExchangeFrozen") }
        }
        #expect(messages(telegram).count == 2)

        try await waitUntil("the audit trail to show both deliveries", timeout: .seconds(10)) {
            let history = try await klaxon.send("GET", "/api/v1/alerts/history?alertname=ExchangeFrozen&kind=sent")
            return history.status == 200 && history.text.components(separatedBy: "\"kind\":\"sent\"").count == 3
        }
        let all = try await klaxon.send("GET", "/api/v1/alerts/history?alertname=ExchangeFrozen").text
        for kind in ["fired", "queued", "sent", "resolved"] { #expect(all.contains("\"kind\":\"\(kind)\"")) }
        let receivers = try await klaxon.send("GET", "/api/v1/receivers").text
        #expect(receivers.contains("\"telegram\""))
        #expect(!receivers.contains(Self.token), "the bot token never leaves Klaxon")
        let metrics = try await klaxon.metrics()
        #expect(metrics.contains("klaxon_notifications_total{receiver=\"telegram\",result=\"sent\"} 2"))
        #expect(try await klaxon.stop() == .exited(0))
    }

    @Test func aP2InProdIsAuditedButSentToNobody() async throws {
        let telegram = try NotifierStandIns.telegram(token: Self.token)
        defer { telegram.stop() }
        let directory = try PeerDirectories.make(for: "delivery-p2")
        try """
        groups:
          - name: inventory
            rules:
              - alert: InventoryImbalanceHigh
                expr: inventory_imbalance_ratio > 0.2
                labels: {severity: P2, source: CrossSync}
        """.write(to: directory.appendingPathComponent("p2.rules.yml"), atomically: true, encoding: .utf8)
        let klaxon = try await KlaxonInstance.start(config: Self.config(rules: directory, telegram: telegram))
        _ = try await klaxon.push("inventory_imbalance_ratio 0.5\n", to: "/metrics/job/engine")
        try await waitUntil("the P2 to be recorded as audit only", timeout: .seconds(10)) {
            let history = try await klaxon.send("GET", "/api/v1/alerts/history?alertname=InventoryImbalanceHigh")
            return history.text.contains("\"kind\":\"fired\"") && history.text.contains("no_receiver")
        }
        #expect(telegram.requests.isEmpty)
        #expect(try await klaxon.stop() == .exited(0))
    }
}
