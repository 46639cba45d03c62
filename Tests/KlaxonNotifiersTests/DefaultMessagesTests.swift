import KlaxonConfig
import KlaxonMetrics
import KlaxonNotifiers
import KlaxonRouting
import Testing

@Suite struct DefaultMessagesTests {
    let messages = DefaultMessages()

    @Test func firingAlertReadsAsTheInitialAlert() {
        let alert = Fixtures.alert(annotations: ["summary": "Order book frozen", "runbook_url": "https://rb.example/x"])
        let text = messages.message(for: Fixtures.notification([alert]), now: Fixtures.t0 + 303_000).plainText
        let fingerprint = alert.fingerprint.description
        #expect(
            text == """
                🚨 P0 FIRING: ExchangeFrozen
                Summary: Order book frozen
                Value: 1
                Labels: severity=P0, venue=binance
                Since: 2026-01-01 00:00:00 UTC (for 5m 3s)
                Runbook: https://rb.example/x
                Ack: klaxon ack \(fingerprint) or POST http://klaxon.example/api/v1/alerts/\(fingerprint)/ack
                """)
    }

    @Test func resolutionNoticeSaysHowLongItLasted() {
        let alert = Fixtures.alert(severity: "P1", status: .resolved, resolvedAt: Fixtures.t0 + 725_000, value: 0.25)
        let text = messages.message(for: Fixtures.notification([alert], severity: .p1), now: Fixtures.t0 + 800_000)
        #expect(
            text.plainText == """
                ⚠️ P1 RESOLVED: ExchangeFrozen
                Summary: Order book frozen
                Value: 0.25
                Labels: severity=P1, venue=binance
                Since: 2026-01-01 00:00:00 UTC
                Resolved: 2026-01-01 00:12:05 UTC (lasted 12m 5s)
                """)
    }

    @Test func escalationNamesTheStepAndHowLongItWasUnacked() {
        let alert = Fixtures.alert()
        let notification = Fixtures.notification([alert], kind: .escalation(step: 2))
        let first = messages.message(for: notification, now: Fixtures.t0 + 240_000).lines.first ?? []
        #expect(first.map(\.text).joined() == "🚨 P0 escalation 2: unacked for 4m: ExchangeFrozen")
    }

    @Test func rateLimitSummaryIsItsOwnMessage() {
        let summary = RateLimitSummary(
            severity: .p2, source: "RateLimiter", suppressed: 12, alertNames: ["A", "B"], windowStart: Fixtures.t0,
            windowEnd: Fixtures.t0 + 60_000)
        let notification = Fixtures.notification([], kind: .rateLimitSummary(summary), severity: .p2)
        #expect(
            messages.message(for: notification, now: Fixtures.t0).plainText == """
                ⚡ 12 more P2 alerts from RateLimiter suppressed: A, B
                Window: 2026-01-01 00:00:00 UTC to 2026-01-01 00:01:00 UTC
                """)
    }

    @Test func multiLineDescriptionsBecomeLinesAndGroupsListEachAlert() {
        let first = Fixtures.alert(labels: ["venue": "a"], annotations: ["description": "one\ntwo"])
        let second = Fixtures.alert(labels: ["venue": "b"], status: .resolved, resolvedAt: Fixtures.t0 + 1000)
        let message = messages.message(for: Fixtures.notification([first, second]), now: Fixtures.t0)
        let text = message.plainText
        #expect(
            text.hasPrefix(
                "🚨 P0 FIRING 1, RESOLVED 1: ExchangeFrozen\n\nExchangeFrozen (firing)\nDescription: one\ntwo\n"))
        #expect(text.contains("\n\nExchangeFrozen (resolved)\n"))
        #expect(message.lines.allSatisfy { line in line.allSatisfy { !$0.text.contains("\n") } })
    }

    @Test func aLongGroupShowsTheFirstAlertsAndCountsTheRest() {
        let firing = (0..<12).map { Fixtures.alert(labels: ["venue": "v\($0)"]) }
        let resolved = (0..<3).map {
            Fixtures.alert(labels: ["venue": "r\($0)"], status: .resolved, resolvedAt: Fixtures.t0 + 1000)
        }
        let text = DefaultMessages(detailedAlerts: 10).message(
            for: Fixtures.notification(firing + resolved), now: Fixtures.t0
        ).plainText
        #expect(text.components(separatedBy: "\nExchangeFrozen (").count - 1 == 10)
        #expect(text.contains("venue=v9"))
        #expect(!text.contains("venue=v10"))
        #expect(text.hasSuffix("\n\n…and 5 more (2 firing, 3 resolved): klaxon alerts lists them"))
    }

    @Test func timesFarApartDoNotTrap() {
        let alert = Fixtures.alert(status: .resolved, startsAt: .min, resolvedAt: .max)
        let text = messages.message(for: Fixtures.notification([alert]), now: .max).plainText
        #expect(text.contains("(lasted 106751991167d 7h 12m 55s)"))
    }

    @Test(arguments: [(0, "0s"), (999, "0s"), (240_000, "4m"), (3_723_000, "1h 2m 3s"), (183_600_000, "2d 3h")])
    func durationsReadShort(_ milliseconds: Int64, _ expected: String) {
        #expect(MessageFormat.duration(milliseconds: milliseconds) == expected)
    }
}
