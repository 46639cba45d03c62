import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting
import Testing

@Suite struct RouterStageTests {
    @Test func aGlobalRiskBlockInhibitsOtherRiskGuardBlocks() {
        var router = RouterFixtures.router(.prod)
        let global = RouterFixtures.firing(
            "GlobalRiskBlock", .p0, source: "RiskGuard", ruleID: "D75.RISK_GUARD.GLOBAL_BLOCK")
        let symbol = RouterFixtures.firing("SymbolBlock", .p0, source: "RiskGuard", ruleID: "D75.RISK_GUARD.SYMBOL")
        let output = router.receive([global, symbol], now: 0)
        #expect(output.notifications.map(\.alerts.first?.alertName) == ["GlobalRiskBlock"])
        let inhibited = output.auditRecords.filter { $0.stage == .inhibited }
        #expect(inhibited.map(\.alertName) == ["SymbolBlock"])
        #expect(inhibited.first?.detail.contains(global.fingerprint.description) == true)
    }

    @Test func aFrozenExchangeInhibitsOnlyThatExchangesHTTP429() {
        var router = RouterFixtures.router(.prod)
        let frozen = RouterFixtures.firing(
            "ExchangeFrozen", .p0, source: "ExchangeHealth", ruleID: "D75.HEALTH.FROZEN", ["exchange": "binance"])
        let binance429 = RouterFixtures.firing(
            "ExchangeHTTP429", .p1, source: "RateLimiter", ruleID: "D75.RATE_LIMITER.HTTP_429", ["exchange": "binance"])
        let kraken429 = RouterFixtures.firing(
            "ExchangeHTTP429", .p1, source: "RateLimiter", ruleID: "D75.RATE_LIMITER.HTTP_429", ["exchange": "kraken"])
        var output = router.receive([frozen, binance429, kraken429], now: 0)
        output.append(router.tick(now: 5_000))
        let sent = output.notifications.flatMap(\.alerts).map { $0.labels["exchange"] ?? "" }
        #expect(sent == ["binance", "kraken"])
        #expect(output.notifications.flatMap(\.alerts).map(\.alertName) == ["ExchangeFrozen", "ExchangeHTTP429"])
        #expect(output.auditRecords.filter { $0.stage == .inhibited }.map(\.fingerprint) == [binance429.fingerprint])
    }

    @Test func aSilenceMutesUntilItIsExpiredThenTheAlertIsSent() throws {
        var router = RouterFixtures.router(.prod)
        let silence = Silence(
            id: "s-1", matchers: [try LabelMatcher("alertname", .equal, "ExchangeDown")], createdBy: "ops",
            comment: "venue maintenance", startsAt: 0, endsAt: 600_000, updatedAt: 0)
        let created = router.addSilence(silence, now: 0)
        #expect(created.writes.first == .silence(silence))
        #expect(created.kinds(.silenceCreated).count == 1)
        let down = RouterFixtures.firing("ExchangeDown", .p1, source: "ExchangeHealth")
        var output = router.receive([down], now: 1_000)
        output.append(router.tick(now: 6_000))
        #expect(output.notifications.isEmpty)
        #expect(output.stages == [.silenced])
        let expired = try router.expireSilence(id: "s-1", now: 10_000)
        #expect(expired.kinds(.silenceExpired).count == 1)
        #expect(expired.receivers == ["telegram"])
        #expect(expired.notifications.first?.alerts == [down])
    }

    @Test func aSilenceUntilResolvedEndsWithItsAlert() throws {
        var router = RouterFixtures.router(.prod)
        let lag = RouterFixtures.firing("ConsumerLagHigh", .p1)
        _ = router.receive([lag], now: 0)
        let silence = Silence(
            id: "s-2", matchers: [try LabelMatcher("alertname", .equal, "ConsumerLagHigh")], createdBy: "ops",
            comment: "", startsAt: 0, endsAt: Int64.max, untilResolved: lag.fingerprint, updatedAt: 0)
        _ = router.addSilence(silence, now: 1_000)
        let output = router.receive([RouterFixtures.resolved(lag, at: 50_000)], now: 50_000)
        #expect(output.kinds(.silenceExpired).map(\.detail) == ["silence s-2: alert resolved"])
        #expect(router.allSilences.first?.state(at: 50_000) == .expired)
    }

    @Test func groupWaitCollectsAlertsIntoOneMessage() {
        var router = RouterFixtures.router(.dev)
        let first = RouterFixtures.firing("InventoryImbalanceHigh", .p2, ["pair": "BTC"])
        let second = RouterFixtures.firing("InventoryImbalanceHigh", .p2, ["pair": "ETH"])
        #expect(router.receive([first], now: 0).notifications.isEmpty)
        #expect(router.receive([second], now: 10_000).notifications.isEmpty)
        #expect(router.nextDeadline == 30_000)
        let output = router.tick(now: 30_000)
        #expect(output.receivers == ["telegram", "slack", "email"])
        #expect(output.notifications.allSatisfy { $0.alerts.count == 2 })
    }

    @Test func aResolvedNoticeFollowsANotifiedAlertOnly() {
        var router = RouterFixtures.router(.prod)
        let frozen = RouterFixtures.firing("ExchangeFrozen", .p0)
        _ = router.receive([frozen], now: 0)
        let resolved = router.receive([RouterFixtures.resolved(frozen, at: 5_000)], now: 5_000)
        #expect(resolved.notifications.map(\.status) == [.resolved])
        #expect(resolved.kinds(.resolved).count == 1)

        let p1 = RouterFixtures.firing("EngineLoopLatencyHigh", .p1)
        _ = router.receive([p1], now: 10_000)
        // Resolved within group_wait: never announced, so no resolution notice either.
        let quiet = router.receive([RouterFixtures.resolved(p1, at: 12_000)], now: 12_000)
        #expect(quiet.notifications.isEmpty)
        #expect(router.tick(now: 20_000).notifications.isEmpty)
    }

    @Test func aDuplicateFiringIsDeduplicatedAndAFiringGroupRepeats() {
        var router = RouterFixtures.router(.prod) { $0.escalation.maxSteps = 0 }
        let frozen = RouterFixtures.firing("ExchangeFrozen", .p0)
        _ = router.receive([frozen], now: 0)
        let again = router.receive([frozen], now: 1_000)
        #expect(again.notifications.isEmpty)
        #expect(again.stages == [.deduplicated])
        #expect(router.tick(now: 899_999).notifications.isEmpty)
        let repeated = router.tick(now: 900_000)
        #expect(repeated.notifications.map(\.alerts) == [[frozen]])
        #expect(repeated.kinds(.queued).first?.detail == "repeat")
    }
}
