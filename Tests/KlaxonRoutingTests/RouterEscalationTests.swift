import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting
import Testing

@Suite struct RouterEscalationTests {
    @Test func anUnackedP0IsEscalatedEveryIntervalUpToTheMaximum() {
        var router = RouterFixtures.router(.prod) { $0.escalation.maxSteps = 3 }
        let frozen = RouterFixtures.firing("ExchangeFrozen", .p0)
        _ = router.receive([frozen], now: 0)
        #expect(router.nextDeadline == 120_000)
        var kinds: [Notification.Kind] = []
        for minute in stride(from: Int64(2), through: 12, by: 2) {
            kinds += router.tick(now: minute * 60_000).notifications.map(\.kind)
        }
        #expect(kinds == [.escalation(step: 1), .escalation(step: 2), .escalation(step: 3)])
    }

    @Test func anAckStopsEscalationAndItsExpiryPagesAgain() throws {
        var router = RouterFixtures.router(.prod)
        let frozen = RouterFixtures.firing("ExchangeFrozen", .p0)
        _ = router.receive([frozen], now: 0)
        let ack = Ack(fingerprint: frozen.fingerprint, by: "alice", comment: "on it", at: 60_000, expiresAt: 600_000)
        let acked = try router.acknowledge(ack, now: 60_000)
        #expect(acked.writes.first == .ack(ack))
        #expect(acked.kinds(.acked).first?.detail == "by alice until 1970-01-01T00:10:00Z: on it")
        #expect(router.tick(now: 120_000).notifications.isEmpty)
        #expect(router.tick(now: 599_999).notifications.isEmpty)
        let lapsed = router.tick(now: 600_000)
        #expect(lapsed.kinds(.unacked).first?.detail == "ack by alice expired")
        #expect(lapsed.writes.contains(.removeAck(frozen.fingerprint)))
        #expect(lapsed.notifications.map(\.kind) == [.alerts])
        #expect(router.tick(now: 720_000).notifications.map(\.kind) == [.escalation(step: 1)])
    }

    @Test func anAckLapsesWhenTheAlertResolvesAndTheResolutionIsStillSent() throws {
        var router = RouterFixtures.router(.prod)
        let frozen = RouterFixtures.firing("ExchangeFrozen", .p0)
        _ = router.receive([frozen], now: 0)
        _ = try router.acknowledge(Ack(fingerprint: frozen.fingerprint, by: "bob", comment: "", at: 1_000), now: 1_000)
        let output = router.receive([RouterFixtures.resolved(frozen, at: 9_000)], now: 9_000)
        #expect(output.kinds(.unacked).count == 1)
        #expect(output.notifications.map(\.status) == [.resolved])
        #expect(router.allAcks.isEmpty)
    }

    @Test func ackingAnAlertThatDoesNotFireIsRefused() {
        var router = RouterFixtures.router(.prod)
        let unknown = Fingerprint(rawValue: 42)
        #expect(throws: RoutingRequestError.alertNotFiring(unknown)) {
            try router.acknowledge(Ack(fingerprint: unknown, by: "alice", comment: "", at: 0), now: 0)
        }
    }
}

@Suite struct RouterRateLimitTests {
    /// The storm of the issue: 500 P2 alerts in 10 s from one source, in dev where P2 is sent.
    @Test func aStormSendsAtMostTheLimitPlusOneSummaryAndAuditsEverything() {
        var router = RouterFixtures.router(.dev, receivers: ["telegram"]) { routing in
            routing.timings[.p2] = SeverityTimings(
                groupWait: 0, groupInterval: 0, repeatInterval: 3_600_000, rateLimitPerMinute: 3)
        }
        var output = RoutingOutput()
        for index in 0..<500 {
            let time = Int64(index) * 20
            output.append(
                router.receive([RouterFixtures.firing("Storm\(index)", .p2, source: "RateLimiter")], now: time))
        }
        while let due = router.nextDeadline, due <= 120_000 { output.append(router.tick(now: due)) }
        let messages = output.notifications
        #expect(messages.filter { $0.kind == .alerts }.count == 3)
        let summaries = messages.compactMap { notification -> RateLimitSummary? in
            if case .rateLimitSummary(let summary) = notification.kind { summary } else { nil }
        }
        #expect(summaries.map(\.suppressed) == [497])
        #expect(summaries.first?.sentence.hasPrefix("497 more P2 alerts from RateLimiter suppressed: ") == true)
        #expect(output.kinds(.fired).count == 500)
        #expect(output.auditRecords.filter { $0.stage == .rateLimited }.count == 497)
    }

    @Test func skipThrottleSendsEverything() {
        var router = RouterFixtures.router(.prod) { $0.skipThrottle = true }
        var output = RoutingOutput()
        for index in 0..<30 { output.append(router.receive([RouterFixtures.firing("P0-\(index)", .p0)], now: 0)) }
        #expect(output.notifications.count == 30)
    }
}
