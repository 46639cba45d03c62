import Foundation
import KlaxonTestSupport
import Testing

/// PostgreSQL stops mid-run: evaluation and delivery go on, the outage shows on the receivers
/// API and in self-metrics, and the audit trail catches up when PostgreSQL returns.
@Suite(
    .enabled(
        if: (Executables.klaxon() != nil && PostgresPeer.shouldRun) || Executables.peersRequired,
        "the klaxon binary or PostgreSQL is missing"))
struct StoreOutageTests {
    @Test func pagesGoOutWhilePostgreSQLIsDownAndTheAuditCatchesUp() async throws {
        let server = try await PostgresPeer.start()
        let database = try await server.createDatabase()
        let telegram = try NotifierStandIns.telegram(token: AlertDeliveryTests.token)
        defer { telegram.stop() }
        let config = AlertDeliveryTests.config(
            rules: try AlertDeliveryTests.rules(), telegram: telegram,
            extra: "store:\n  url: \(database)\n  instance: klaxon-a\n")
        let klaxon = try await KlaxonInstance.start(config: config)
        _ = try await klaxon.push("exchange_orderbook_age_seconds{exchange=\"binance\"} 42\n", to: "/metrics/job/a")
        try await waitUntil("the first page", timeout: .seconds(10)) { telegram.requests.count == 1 }

        try await server.stopServer()
        _ = try await klaxon.push("exchange_orderbook_age_seconds{exchange=\"kraken\"} 42\n", to: "/metrics/job/b")
        try await waitUntil("the page sent while PostgreSQL is down", timeout: .seconds(15)) {
            telegram.requests.count == 2
        }
        try await waitUntil("the outage to show on /api/v1/receivers", timeout: .seconds(15)) {
            let receivers = try await klaxon.send("GET", "/api/v1/receivers").text
            return receivers.contains("\"up\":false") && receivers.contains("\"kind\":\"postgres\"")
        }
        #expect(try await klaxon.metrics().contains("klaxon_store_up 0"))
        #expect(!(try await klaxon.send("GET", "/api/v1/receivers").text.contains(database)))

        try await server.startServer()
        try await waitUntil("the spooled writes to reach PostgreSQL", timeout: .seconds(30)) {
            let receivers = try await klaxon.send("GET", "/api/v1/receivers").text
            return receivers.contains("\"up\":true") && receivers.contains("\"spooledWrites\":0")
        }
        let history = try await klaxon.send("GET", "/api/v1/alerts/history?alertname=ExchangeFrozen&kind=sent").text
        #expect(history.contains("kraken"), "the delivery made during the outage is in the audit trail")
        #expect(history.contains("binance"))
        #expect(try await klaxon.stop() == .exited(0))
        try await server.stopServer()
    }
}
