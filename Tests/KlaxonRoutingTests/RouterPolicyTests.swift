import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting
import Testing

@Suite struct RouterPolicyTests {
    @Test func prodSendsAP0ToTelegramAtOnceAndAuditsIt() {
        var router = RouterFixtures.router(.prod)
        let frozen = RouterFixtures.firing("ExchangeFrozen", .p0, source: "ExchangeHealth", at: 1_000)
        let output = router.receive([frozen], now: 1_000)
        #expect(output.receivers == ["telegram"])
        #expect(output.notifications.first?.alerts == [frozen])
        #expect(output.auditRecords.map(\.kind) == [.fired, .queued])
        #expect(output.auditRecords.allSatisfy { $0.instance == "klaxon-1" && $0.fingerprint == frozen.fingerprint })
        #expect(output.queued == 1)
    }

    /// SCENARIOS.md "Telegram first": the table per environment and severity.
    @Test(arguments: [
        (DeploymentEnvironment.prod, Severity.p0, ["telegram"]),
        (.prod, .p1, ["telegram"]),
        (.prod, .p2, []),
        (.prod, .p3, []),
        (.staging, .p1, ["telegram"]),
        (.dev, .p0, ["telegram", "slack"]),
        (.dev, .p1, ["telegram", "slack"]),
        (.dev, .p2, ["telegram", "slack", "email"]),
        (.dev, .p3, ["email"]),
    ])
    func routesBySeverityAndEnvironment(environment: DeploymentEnvironment, severity: Severity, expected: [String]) {
        var router = RouterFixtures.router(environment) { $0.escalation.maxSteps = 0 }
        let alert = RouterFixtures.firing("Incident", severity)
        var output = router.receive([alert], now: 0)
        output.append(router.tick(now: 300_000))
        #expect(output.receivers == expected)
        #expect(output.kinds(.fired).count == 1)
        if expected.isEmpty { #expect(output.stages == [.noReceiver]) }
    }

    @Test func anUnconfiguredReceiverFallsBackToTheLog() {
        var router = RouterFixtures.router(.prod, receivers: [])
        let output = router.receive([RouterFixtures.firing("KillSwitchActivated", .p0)], now: 0)
        #expect(output.receivers == ["log"])
    }

    @Test func disabledAlertsAndMinSeverityAreRecordedButNotSent() {
        var router = RouterFixtures.router(.dev) { routing in
            routing.disabledAlerts = ["NoisyAlert", "D75.SYSTEM.STATE_SAVE_FAILED"]
            routing.minSeverity = .p1
        }
        let byName = RouterFixtures.firing("NoisyAlert", .p0)
        let byRule = RouterFixtures.firing("StateSave", .p0, ruleID: "D75.SYSTEM.STATE_SAVE_FAILED")
        let minor = RouterFixtures.firing("Housekeeping", .p2)
        let output = router.receive([byName, byRule, minor], now: 0)
        #expect(output.notifications.isEmpty)
        #expect(output.kinds(.fired).count == 3)
        #expect(output.stages == [.disabled, .disabled, .belowMinSeverity])
    }
}

@Suite struct NotifierFailingRoutingTests {
    @Test func aFailingReceiverIsReportedToTheOthersNotToItself() {
        var router = RouterFixtures.router(.dev) { $0.escalation.maxSteps = 0 }
        let failing = RouterFixtures.firing(
            RouterSettings.notifierFailingAlert, .p1, source: "Klaxon", ["receiver": "telegram"])
        var output = router.receive([failing], now: 0)
        output.append(router.tick(now: 5_000))
        #expect(output.receivers == ["slack"])
    }

    @Test func whenItWasTheOnlyReceiverTheLogGetsIt() {
        var router = RouterFixtures.router(.prod) { $0.escalation.maxSteps = 0 }
        let failing = RouterFixtures.firing(
            RouterSettings.notifierFailingAlert, .p1, source: "Klaxon", ["receiver": "telegram"])
        var output = router.receive([failing], now: 0)
        output.append(router.tick(now: 5_000))
        #expect(output.receivers == ["log"])
    }
}

@Suite struct AuditOnlyRoutingTests {
    @Test func anAuditOnlySeverityIsRecordedAtOnceWithoutWaitingForItsGroup() {
        var router = RouterFixtures.router(.prod)
        let output = router.receive([RouterFixtures.firing("InventoryImbalanceHigh", .p2)], now: 0)
        #expect(output.stages == [.noReceiver])
        #expect(router.nextDeadline == nil)
    }
}
