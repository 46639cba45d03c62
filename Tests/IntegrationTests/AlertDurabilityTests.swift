import Foundation
import KlaxonTestSupport
import Testing

/// What must survive a `kill -9`: an outbox entry written but not delivered, acks, silences.
@Suite(.enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"))
struct AlertDurabilityTests {
    /// A config whose state lives in `data`, so a second start finds what the first left.
    private func config(data: URL, telegram: HTTPStandIn, extra: String = "") throws -> String {
        AlertDeliveryTests.config(
            rules: try AlertDeliveryTests.rules(), telegram: telegram, extra: "data_dir: \(data.path)\n" + extra)
    }

    private func killHard(_ klaxon: KlaxonInstance) async throws {
        klaxon.process.send(signal: SIGKILL)
        let status = try await klaxon.process.waitForExit(timeout: .seconds(10))
        #expect(status != .exited(0))
    }

    private func successes(_ telegram: HTTPStandIn) -> [String] {
        // A request the stand-in held until release was answered 503; every other one 2xx.
        telegram.requests.dropFirst(telegram.hangingCount).compactMap { $0.headers["Idempotency-Key"] }
    }

    /// The receiver takes the message but never answers; Klaxon dies; the next Klaxon delivers it
    /// again under the same idempotency key, and the alert does not page as new.
    @Test func aNotificationCaughtInFlightByKillNineIsDeliveredAfterTheRestartOnce() async throws {
        let telegram = try NotifierStandIns.telegram(token: AlertDeliveryTests.token)
        defer { telegram.stop() }
        telegram.setMode(.hang)
        let data = try PeerDirectories.make(for: "durable-outbox")
        let text = try config(data: data, telegram: telegram)
        let first = try await KlaxonInstance.start(config: text)
        _ = try await first.push("exchange_orderbook_age_seconds{exchange=\"kraken\"} 30\n", to: "/metrics/job/feed")
        try await waitUntil("the message to reach the hanging receiver", timeout: .seconds(10)) {
            telegram.hangingCount == 1
        }
        let key = try #require(telegram.requests.first?.headers["Idempotency-Key"])
        try await killHard(first)
        telegram.setMode(.ok)
        telegram.release()

        let second = try await KlaxonInstance.start(config: text)
        _ = try await second.push("exchange_orderbook_age_seconds{exchange=\"kraken\"} 31\n", to: "/metrics/job/feed")
        try await waitUntil("the outbox entry to be delivered after the restart", timeout: .seconds(15)) {
            telegram.requests.count == 2
        }
        #expect(telegram.requests.last?.headers["Idempotency-Key"] == key)
        // The restored alert is still firing and already announced: nothing new to page.
        _ = try await second.push("exchange_orderbook_age_seconds{exchange=\"kraken\"} 32\n", to: "/metrics/job/feed")
        try await waitUntil("the push to be evaluated", timeout: .seconds(10)) {
            try await second.metrics().contains("alertname=\"ExchangeFrozen\",alertstate=\"firing\"")
        }
        #expect(telegram.requests.count == 2)
        #expect(try await second.stop() == .exited(0))
    }

    @Test func anAckAndASilenceSurviveKillNine() async throws {
        let telegram = try NotifierStandIns.telegram(token: AlertDeliveryTests.token)
        defer { telegram.stop() }
        let data = try PeerDirectories.make(for: "durable-ack")
        let text = try config(data: data, telegram: telegram)
        let first = try await KlaxonInstance.start(config: text)
        _ = try await first.push("exchange_orderbook_age_seconds{exchange=\"okx\"} 30\n", to: "/metrics/job/feed")
        try await waitUntil("the alert to page", timeout: .seconds(10)) { telegram.requests.count == 1 }
        let alerts = try await first.send("GET", "/api/v1/alerts").text
        let fingerprint = try #require(alerts.firstMatch(of: /"fingerprint":"([0-9a-f]{16})"/)?.1)
        let ack = try await first.send(
            "POST", "/api/v1/alerts/\(fingerprint)/ack", headers: ["Content-Type": "application/json"],
            body: Array(#"{"by":"alice","comment":"on it"}"#.utf8))
        #expect(ack.status == 200, "\(ack.text)")
        let silence = try await first.send(
            "POST", "/api/v1/silences", headers: ["Content-Type": "application/json"],
            body: Array(
                #"{"matchers":["exchange=\"bybit\""],"createdBy":"bob","comment":"maintenance","duration":"2h"}"#.utf8))
        #expect(silence.status == 200, "\(silence.text)")
        try await killHard(first)

        let second = try await KlaxonInstance.start(config: text)
        let silences = try await second.send("GET", "/api/v1/silences").text
        #expect(silences.contains("bybit") && silences.contains("maintenance"))
        let history = try await second.send("GET", "/api/v1/alerts/history?kind=acked").text
        #expect(history.contains("alice"))
        _ = try await second.push("exchange_orderbook_age_seconds{exchange=\"okx\"} 31\n", to: "/metrics/job/feed")
        try await waitUntil("the restored alert to show its ack", timeout: .seconds(10)) {
            let listed = try await second.send("GET", "/api/v1/alerts").text
            return listed.contains(String(fingerprint)) && listed.contains("alice")
        }
        #expect(try await second.stop() == .exited(0))
    }
}
