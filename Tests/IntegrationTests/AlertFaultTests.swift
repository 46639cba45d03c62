import Foundation
import KlaxonTestSupport
import Testing

/// Faults around the built binary, each with nothing lost: a receiver that is down for a while,
/// and a restart in the middle of a `for` timer.
@Suite(.enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"))
struct AlertFaultTests {
    /// The receiver answers 503 for 30 s while an alert fires and resolves; once it is back, the
    /// firing and the resolved notice each reach it exactly once, and the audit shows the attempts.
    @Test func aReceiverDownForThirtySecondsGetsEveryNotificationOnceItIsBack() async throws {
        let telegram = try NotifierStandIns.telegram(token: AlertDeliveryTests.token)
        defer { telegram.stop() }
        telegram.setMode(.fail(status: 503))
        let klaxon = try await KlaxonInstance.start(
            config: AlertDeliveryTests.config(rules: try AlertDeliveryTests.rules(), telegram: telegram))
        let downSince = ContinuousClock.now
        _ = try await klaxon.push("exchange_orderbook_age_seconds{exchange=\"okx\"} 40\n", to: "/metrics/job/feed")
        try await waitUntil("a failed attempt of the firing notice", timeout: .seconds(10)) {
            try await klaxon.history("kind=failed&alertname=ExchangeFrozen").count >= 1
        }
        _ = try await klaxon.push("exchange_orderbook_age_seconds{exchange=\"okx\"} 2\n", to: "/metrics/job/feed")
        try await waitUntil("the resolved notice to be queued", timeout: .seconds(10)) {
            try await klaxon.history("kind=queued&alertname=ExchangeFrozen").count == 2
        }
        try await waitUntil("the receiver to have been down for 30 s", timeout: .seconds(45)) {
            ContinuousClock.now - downSince >= .seconds(30)
        }
        let refused = telegram.requests.count
        telegram.setMode(.ok)

        // Backoff is capped at 60 s with full jitter; after 30 s down the next try is within about 20 s.
        try await waitUntil("both notices to be delivered", timeout: .seconds(70)) {
            try await klaxon.history("kind=sent&alertname=ExchangeFrozen").count == 2
        }
        let accepted = telegram.requests.dropFirst(refused)
        let keys = accepted.compactMap { $0.headers["Idempotency-Key"] }
        #expect(keys.count == 2 && Set(keys).count == 2, "each notice accepted once: \(keys)")
        let texts = accepted.compactMap {
            (try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any])?["text"] as? String
        }
        #expect(texts.contains { $0.contains("P0 FIRING: ExchangeFrozen") })
        #expect(texts.contains { $0.contains("P0 RESOLVED: ExchangeFrozen") })

        let failed = try await klaxon.history("kind=failed&alertname=ExchangeFrozen&receiver=telegram")
        #expect(failed.count >= 2, "the audit shows the refused attempts")
        #expect(failed.allSatisfy { $0["errorClass"] as? String == "server_error" })
        let sent = try await klaxon.history("kind=sent&alertname=ExchangeFrozen&receiver=telegram")
        #expect(sent.allSatisfy { ($0["attempt"] as? Int ?? 0) > 1 }, "delivered on a retry, not the first try")
        #expect(try await klaxon.stop() == .exited(0))
    }

    /// An alert 50 s into a 60 s `for` when Klaxon is killed fires about 10 s after the restart,
    /// keeping the time it became active, not 60 s after it.
    @Test func aPendingAlertKeepsItsTimerAcrossKillNine() async throws {
        let telegram = try NotifierStandIns.telegram(token: AlertDeliveryTests.token)
        defer { telegram.stop() }
        let rules = try PeerDirectories.make(for: "pending-restart")
        try """
        groups:
          - name: engine
            interval: 1s
            rules:
              - alert: EngineLoopSlow
                expr: engine_loop_latency_seconds > 0.5
                for: 60s
                labels: {severity: P0, source: Engine}
        """.write(to: rules.appendingPathComponent("engine.rules.yml"), atomically: true, encoding: .utf8)
        let data = try PeerDirectories.make(for: "pending-restart-data")
        let config = AlertDeliveryTests.config(rules: rules, telegram: telegram, extra: "data_dir: \(data.path)\n")
        let first = try await KlaxonInstance.start(config: config)
        _ = try await first.push("engine_loop_latency_seconds 0.9\n", to: "/metrics/job/engine")
        var activeAt = 0.0
        try await waitUntil("the alert to be pending", timeout: .seconds(10)) {
            activeAt = try await Self.activeAt(first) ?? 0
            return activeAt > 0
        }
        try await waitUntil("the alert to be 50 s into its 60 s", timeout: .seconds(70)) {
            Date().timeIntervalSince1970 - activeAt >= 50
        }
        #expect(try await first.history("kind=fired&alertname=EngineLoopSlow").isEmpty)
        first.process.send(signal: SIGKILL)
        _ = try await first.process.waitForExit(timeout: .seconds(10))

        let restartedAt = Date().timeIntervalSince1970
        let second = try await KlaxonInstance.start(config: config)
        _ = try await second.push("engine_loop_latency_seconds 0.9\n", to: "/metrics/job/engine")
        try await waitUntil("the restored alert to fire", timeout: .seconds(40)) {
            try await !second.history("kind=fired&alertname=EngineLoopSlow").isEmpty
        }
        #expect(try await Self.activeAt(second) == activeAt, "the time it became active is kept")
        let fired = try #require(try await second.history("kind=fired&alertname=EngineLoopSlow").first)
        let firedAt = try #require(APITimes.seconds(fired["time"] as? String))
        #expect(firedAt - activeAt >= 60, "not before its `for`")
        #expect(firedAt - restartedAt < 20, "the timer went on from where it was, it did not start again")
        try await waitUntil("the page", timeout: .seconds(10)) { telegram.requests.count == 1 }
        #expect(try await second.stop() == .exited(0))
    }

    /// `ALERTS_FOR_STATE` of the alert: the Unix time it became active.
    private static func activeAt(_ klaxon: KlaxonInstance) async throws -> Double? {
        try await klaxon.exposedSamples().first { $0.key.hasPrefix("ALERTS_FOR_STATE{alertname=\"EngineLoopSlow\"") }
            .flatMap { Double($0.value) }
    }
}

/// Reads the history API's RFC 3339 times.
enum APITimes {
    static func seconds(_ text: String?) -> Double? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.date(from: text)?.timeIntervalSince1970
    }
}
