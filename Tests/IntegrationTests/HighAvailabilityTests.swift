import Foundation
import KlaxonTestSupport
import Testing

/// Two Klaxons watching the same engine share one PostgreSQL: the incident pages once.
@Suite(
    .enabled(
        if: (Executables.klaxon() != nil && PostgresPeer.shouldRun) || Executables.peersRequired,
        "the klaxon binary or PostgreSQL is missing"))
struct HighAvailabilityTests {
    @Test func twoKlaxonsOnOnePostgreSQLSendOneMessageForOneIncident() async throws {
        let telegram = try NotifierStandIns.telegram(token: AlertDeliveryTests.token)
        defer { telegram.stop() }
        let database = try await PostgresPeer.shared().createDatabase()
        let rules = try AlertDeliveryTests.rules()
        func start(_ instance: String) async throws -> KlaxonInstance {
            let store = "store:\n  url: \(database)\n  instance: \(instance)\n"
            return try await KlaxonInstance.start(
                config: AlertDeliveryTests.config(rules: rules, telegram: telegram, extra: store))
        }
        let first = try await start("klaxon-a")
        let second = try await start("klaxon-b")
        // The pair shares an idempotency key when both route the group within one 10 s bucket
        // of the notification id; start well inside one so the test never straddles two.
        try await waitUntil("the clock to be early in a 10 s bucket", timeout: .seconds(15)) {
            let milliseconds = Int64(Date().timeIntervalSince1970 * 1000) % 10_000
            return milliseconds > 500 && milliseconds < 6_000
        }
        let sample = "exchange_orderbook_age_seconds{exchange=\"binance\"} 42\n"
        async let pushedFirst = first.push(sample, to: "/metrics/job/feed")
        async let pushedSecond = second.push(sample, to: "/metrics/job/feed")
        #expect(try await pushedFirst.status == 200)
        #expect(try await pushedSecond.status == 200)

        try await waitUntil("both Klaxons to have routed and settled the notification", timeout: .seconds(15)) {
            for klaxon in [first, second] {
                let queued = try await klaxon.send("GET", "/api/v1/alerts/history?kind=queued").text
                let receivers = try await klaxon.send("GET", "/api/v1/receivers").text
                guard queued.contains("ExchangeFrozen"), receivers.contains("\"outboxDepth\":0"),
                    !receivers.contains("\"outboxDepth\":1")
                else { return false }
            }
            return telegram.requests.count >= 1
        }
        #expect(telegram.requests.count == 1)
        let shared = try await first.send("GET", "/api/v1/alerts/history?kind=queued").text
        #expect(shared.contains("klaxon-a") && shared.contains("klaxon-b"), "both instances wrote to one audit trail")
        #expect(try await first.stop() == .exited(0))
        #expect(try await second.stop() == .exited(0))
    }
}
