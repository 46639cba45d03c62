import KlaxonMetrics
import KlaxonRouting
import KlaxonRules
import KlaxonServer
import Synchronization
import Testing

@Suite struct AlertHandoffTests {
    private let group = RuleGroupKey(file: "rules.yml", name: "engine")

    private func alert(_ state: AlertState, firedAt: Int64? = nil, resolvedAt: Int64? = nil) -> Alert {
        Alert(
            state: state, labels: Labels(["alertname": "ExchangeFrozen", "severity": "P0", "exchange": "binance"]),
            annotations: [Label("summary", "binance frozen")], value: 3, activeAt: 1_000, firedAt: firedAt,
            resolvedAt: resolvedAt, keepFiringSince: nil)
    }

    @Test func firingAndResolvedTransitionsBecomeEventsAfterTheGroupIsSaved() {
        let log = Mutex<[String]>([])
        let submitted = Mutex<[AlertEvent]>([])
        let firing = alert(.firing, firedAt: 2_000)
        let handoff = AlertHandoff(
            submit: { events in
                submitted.withLock { $0 += events }
                log.withLock { $0.append("submit") }
            },
            persist: { writes in log.withLock { $0.append("persist \(writes.count)") } },
            groupAlerts: { _ in [("ExchangeFrozen", firing)] },
            generatorURL: { _, rule in "http://klaxon/graph?rule=\(rule)" })
        var step = RuleGroupState.Step()
        step.transitions = [
            ("ExchangeFrozen", AlertTransition(kind: .firing, alert: firing)),
            ("Lag", AlertTransition(kind: .pending, alert: alert(.pending))),
        ]
        handoff.handle(RuleEvaluationReport(group: group, time: 2_000, trigger: .push, step: step))
        #expect(log.withLock { $0 } == ["persist 1", "submit"])
        let events = submitted.withLock { $0 }
        #expect(events.count == 1)
        #expect(events.first?.status == .firing)
        #expect(events.first?.startsAt == 2_000)
        #expect(events.first?.generatorURL == "http://klaxon/graph?rule=ExchangeFrozen")
        #expect(events.first?.fingerprint == firing.fingerprint)
    }

    @Test func savedAlertsComeBackForLoadedGroupsOnly() throws {
        let firing = alert(.firing, firedAt: 2_000)
        let saved = try #require(AlertHandoff.persisted(firing, rule: "ExchangeFrozen", group: group))
        #expect(AlertHandoff.persisted(alert(.inactive, resolvedAt: 5), rule: "X", group: group) == nil)
        let restored = AlertHandoff.restored([saved], groups: [group])
        #expect(restored == [RestoredAlert(group: group, rule: "ExchangeFrozen", alert: firing)])
        #expect(AlertHandoff.restored([saved], groups: [RuleGroupKey(file: "other.yml", name: "engine")]).isEmpty)
    }
}
