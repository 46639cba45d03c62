import KlaxonMetrics
import KlaxonRouting
import Testing

@Suite struct SilenceTests {
    private func silence(_ matchers: [LabelMatcher], start: Int64 = 1_000, end: Int64 = 5_000) -> Silence {
        Silence(
            id: "s1", matchers: matchers, createdBy: "ops", comment: "maintenance", startsAt: start, endsAt: end,
            updatedAt: start)
    }

    @Test func isPendingActiveThenExpiredAroundItsWindow() {
        let window = silence([])
        #expect(window.state(at: 999) == .pending)
        #expect(window.state(at: 1_000) == .active)
        #expect(window.state(at: 4_999) == .active)
        #expect(window.state(at: 5_000) == .expired)
    }

    @Test func mutesOnlyLabelsMatchingEveryMatcherWhileActive() throws {
        let venue = try silence([
            LabelMatcher("venue", .regexMatch, "bin.*"), LabelMatcher("severity", .notEqual, "P0"),
        ])
        let p1 = Labels(["alertname": "Latency", "venue": "binance", "severity": "P1"])
        let p0 = Labels(["alertname": "Frozen", "venue": "binance", "severity": "P0"])
        let other = Labels(["alertname": "Latency", "venue": "kraken", "severity": "P1"])
        #expect(venue.mutes(p1, at: 2_000))
        #expect(!venue.mutes(p0, at: 2_000))
        #expect(!venue.mutes(other, at: 2_000))
        #expect(!venue.mutes(p1, at: 6_000))
    }
}

@Suite struct NotificationTests {
    @Test func commonLabelsAndStatusFollowAlertmanager() {
        let firing = AlertEvent(
            labels: Labels(["alertname": "Lag", "venue": "a", "severity": "P2"]), status: .firing, activeAt: 1,
            startsAt: 1)
        let resolved = AlertEvent(
            labels: Labels(["alertname": "Lag", "venue": "b", "severity": "P2"]), status: .resolved, activeAt: 1,
            startsAt: 1, resolvedAt: 9)
        let both = Notification(
            id: "n", receiver: "telegram", groupKey: "{}", severity: .p2, alerts: [firing, resolved], createdAt: 10)
        #expect(both.status == .firing)
        #expect(both.commonLabels == Labels(["alertname": "Lag", "severity": "P2"]))
        let onlyResolved = Notification(
            id: "n", receiver: "telegram", groupKey: "{}", severity: .p2, alerts: [resolved], createdAt: 10)
        #expect(onlyResolved.status == .resolved)
    }

    @Test func rateLimitSummaryReadsAsASentence() {
        let summary = RateLimitSummary(
            severity: .p2, source: "RateLimiter", suppressed: 12, alertNames: ["LowBudget", "Http429"],
            windowStart: 0, windowEnd: 60_000)
        #expect(summary.sentence == "12 more P2 alerts from RateLimiter suppressed: LowBudget, Http429")
    }
}
