import Foundation
import KlaxonTestSupport
import Testing

/// Many alerts at once against the built binary: a storm from one source is held to the rate
/// limit with one summary, and a rule over 10 000 series is routed and recorded whole.
@Suite(.enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"))
struct AlertStormTests {
    private static func rules(_ name: String, expr: String, severity: String, source: String) throws -> URL {
        let directory = try PeerDirectories.make(for: name)
        try """
        groups:
          - name: storm
            interval: 1m
            rules:
              - alert: OrderRejectionStorm
                expr: \(expr)
                labels: {severity: \(severity), source: \(source)}
                annotations: {summary: "order {{ $labels.order }} rejected"}
        """.write(to: directory.appendingPathComponent("storm.rules.yml"), atomically: true, encoding: .utf8)
        return directory
    }

    private func texts(_ telegram: HTTPStandIn) -> [String] {
        telegram.requests.compactMap { request in
            (try? JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])?["text"] as? String
        }
    }

    /// 500 P2 alerts from one source, each its own group: the P2 budget (3 a minute) goes out,
    /// the other 497 are recorded as rate-limited and announced in one summary when the window closes.
    @Test func fiveHundredP2AlertsFromOneSourceSendTheBudgetAndOneSummary() async throws {
        let telegram = try NotifierStandIns.telegram(token: AlertDeliveryTests.token)
        defer { telegram.stop() }
        let rules = try Self.rules("storm-rules", expr: "order_rejected > 0", severity: "P2", source: "OrderRouter")
        let klaxon = try await KlaxonInstance.start(
            config: AlertDeliveryTests.config(
                rules: rules, telegram: telegram,
                extra: """
                      group_by: [alertname, order]
                      severities:
                        P2: {group_wait: 0s, group_interval: 0s}
                      policy:
                        prod: {P2: [telegram]}
                    """))
        for batch in 0..<10 {
            let body = (0..<50).map { "order_rejected{order=\"o\(batch * 50 + $0)\"} 1\n" }.joined()
            let response = try await klaxon.push(body, to: "/metrics/job/engine/batch/\(batch)")
            #expect(response.status == 200)
        }
        try await waitUntil("all 500 alerts to fire and be recorded", timeout: .seconds(30)) {
            try await klaxon.history("kind=fired&alertname=OrderRejectionStorm").count == 500
        }
        // The window opened at the first message and closes one minute later.
        try await waitUntil("the rate-limit summary", timeout: .seconds(90)) {
            texts(telegram).contains { $0.contains("497 more P2 alerts from OrderRouter suppressed") }
        }
        let messages = texts(telegram)
        #expect(messages.filter { $0.contains("P2 FIRING: OrderRejectionStorm") }.count == 3)
        #expect(messages.count == 4, "the budget of 3 plus one summary: \(messages.count) messages")

        let suppressed = try await klaxon.history("kind=suppressed&alertname=OrderRejectionStorm")
        #expect(suppressed.count == 497)
        #expect(suppressed.allSatisfy { $0["stage"] as? String == "rate_limited" })
        let fingerprints = Set(suppressed.compactMap { $0["fingerprint"] as? String })
        #expect(fingerprints.count == 497, "every held-back alert has its own record")
        #expect(try await klaxon.metrics().contains("klaxon_alerts_suppressed_total{stage=\"rate_limited\"} 497"))
        #expect(try await klaxon.stop() == .exited(0))
    }

    /// One rule over 10 000 series fires at once (SQLite store): every alert is in the audit trail
    /// and in one grouped notification, and pushes are still answered while it is routed.
    @Test func aRuleOverTenThousandSeriesIsRoutedAndRecordedWhole() async throws {
        let telegram = try NotifierStandIns.telegram(token: AlertDeliveryTests.token)
        defer { telegram.stop() }
        let rules = try Self.rules("scale-rules", expr: "order_rejected > 0", severity: "P1", source: "OrderRouter")
        let klaxon = try await KlaxonInstance.start(
            config: AlertDeliveryTests.config(
                rules: rules, telegram: telegram,
                extra: """
                      severities:
                        P1: {group_wait: 0s}
                    """))
        let body = (0..<10_000).map { "order_rejected{order=\"o\($0)\"} 1\n" }.joined()
        #expect(try await klaxon.push(body, to: "/metrics/job/engine").status == 200)
        let probe = try await klaxon.push("engine_loop_latency_seconds 0.001\n", to: "/metrics/job/probe")
        #expect(probe.status == 200, "a push during the routing of 10 000 alerts is answered")
        try await waitUntil("all 10 000 alerts to be recorded", timeout: .seconds(60)) {
            try await klaxon.history("kind=fired&alertname=OrderRejectionStorm").count == 10_000
        }
        try await waitUntil("the grouped notification to reach Telegram", timeout: .seconds(30)) {
            texts(telegram).contains { $0.contains("OrderRejectionStorm") }
        }
        let queued = try await klaxon.history("kind=queued&alertname=OrderRejectionStorm")
        #expect(queued.count == 10_000, "every alert's audit shows it queued")
        #expect(Set(queued.compactMap { $0["receiver"] as? String }) == ["telegram"])
        let message = try #require(texts(telegram).first)
        #expect(message.contains("P1 FIRING 10000: OrderRejectionStorm"))
        #expect(message.contains("…and 9990 more (9990 firing)"))
        #expect(telegram.requests.count == 1, "a readable summary, not thousands of parts")
        #expect(try await klaxon.stop() == .exited(0))
    }
}
