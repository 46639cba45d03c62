import Foundation
import KlaxonTestSupport
import Testing

/// The status page at `/` as an operator opens it: the firing alert, its receivers, the history,
/// every value escaped and a policy that lets no script run.
@Suite(.enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"))
struct StatusPageTests {
    @Test func thePageShowsTheFiringAlertEscapedWithARestrictivePolicy() async throws {
        let telegram = try NotifierStandIns.telegram(token: AlertDeliveryTests.token)
        defer { telegram.stop() }
        let klaxon = try await KlaxonInstance.start(
            config: AlertDeliveryTests.config(rules: try AlertDeliveryTests.rules(), telegram: telegram))
        let hostile = "<script>alert(1)</script>"
        _ = try await klaxon.push(
            "exchange_orderbook_age_seconds{exchange=\"\(hostile)\"} 42\n", to: "/metrics/job/feed")
        try await waitUntil("the alert to reach Telegram", timeout: .seconds(10)) { !telegram.requests.isEmpty }
        try await waitUntil("the delivery to be in the history", timeout: .seconds(10)) {
            try await klaxon.history("kind=sent").count == 1
        }
        let page = try await klaxon.send("GET", "/")
        #expect(page.status == 200)
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        let policy = try #require(page.headers["content-security-policy"])
        #expect(policy.contains("default-src 'none'") && !policy.contains("script-src"))
        #expect(page.text.contains("🚨 P0 (1)"))
        #expect(page.text.contains("ExchangeFrozen"))
        #expect(page.text.contains("exchange=&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.text.contains(hostile), "the label shows as text, never as markup")
        #expect(page.text.contains("<td>telegram</td>"))
        #expect(page.text.contains("<td>sent</td>"))
        let style = try await klaxon.send("GET", "/ui/klaxon.css")
        #expect(style.status == 200 && style.headers["content-type"] == "text/css; charset=utf-8")

        let filtered = try await klaxon.send("GET", "/?severity=P1")
        #expect(!filtered.text.contains("<td>sent</td>"), "the history filter applies")
        let bad = try await klaxon.send("GET", "/?since=yesterday")
        #expect(bad.status == 200 && bad.text.contains("invalid parameter"))
        #expect(try await klaxon.stop() == .exited(0))
    }
}
