import Foundation
import KlaxonConfig
import KlaxonMetrics
import KlaxonPromQL
import KlaxonRules
import KlaxonTestSupport
import Testing

@Suite struct RuleManagerTests {
    static let twoGroups = """
        groups:
          - name: fast
            interval: 1s
            rules:
              - record: fast:a
                expr: sum(a_total)
          - name: slow
            interval: 10s
            rules:
              - record: slow:b
                expr: sum(b_total)
        """

    // MARK: - Interval evaluation

    @Test func evaluatesEachGroupOnItsInterval() throws {
        let harness = RuleManagerHarness()
        try harness.push("a_total", 1)
        try harness.push("b_total", 2)
        try harness.load(Self.twoGroups)
        let start = harness.now
        #expect(harness.manager.evaluateDue(at: start) == start + 1000)
        #expect(harness.owners(at: start) == ["rules/rules.yml;fast", "rules/rules.yml;slow"])
        harness.manager.evaluateDue(at: start + 500)
        #expect(harness.owners(at: start + 500).isEmpty)
        for second in 1...10 { harness.manager.evaluateDue(at: start + Int64(second) * 1000) }
        #expect(harness.owners(at: start + 5000) == ["rules/rules.yml;fast"])
        #expect(harness.owners(at: start + 10_000) == ["rules/rules.yml;fast", "rules/rules.yml;slow"])
        #expect(harness.manager.status.evaluations == 13)
        #expect(try harness.manager.query("fast:a", at: start + 10_000) == .vector([
            VectorElement(labels: Labels(["__name__": "fast:a"]), value: 1)
        ]))
    }

    @Test func alertGoesPendingThenFiringAndNotifies() throws {
        let harness = RuleManagerHarness()
        try harness.load(
            """
            groups:
              - name: risk
                rules:
                  - alert: KillSwitch
                    expr: kill_switch_engaged == 1
                    for: 2s
                    labels: {severity: P0}
            """)
        try harness.push("kill_switch_engaged", 1)
        let start = harness.now
        for second in 0...3 { harness.manager.evaluateDue(at: start + Int64(second) * 1000) }
        #expect(harness.transitions == ["KillSwitch:pending", "KillSwitch:firing"])
        #expect(harness.manager.alerts.map(\.alert.state) == [.firing])
        let alerts = try harness.manager.query("ALERTS", at: start + 3000)
        guard case .vector(let elements) = alerts else {
            Issue.record("ALERTS should be a vector")
            return
        }
        #expect(elements.map(\.labels) == [
            Labels(["__name__": "ALERTS", "alertname": "KillSwitch", "alertstate": "firing", "severity": "P0"])
        ])
    }

    // MARK: - Evaluation on arrival

    @Test func pushEvaluatesOnlyGroupsReadingTheChangedMetric() throws {
        let harness = RuleManagerHarness()
        try harness.load(
            """
            groups:
              - {name: reads-a, interval: 1m, rules: [{record: 'x:a', expr: sum(a_total)}]}
              - {name: reads-b, interval: 1m, rules: [{record: 'x:b', expr: sum(b_total)}]}
              - {name: no-push, interval: 1m, eval_on_push: false, rules: [{record: 'x:c', expr: sum(a_total)}]}
              - {name: reads-any, interval: 1m, rules: [{record: 'x:d', expr: 'count({job="j"})'}]}
            """)
        let start = harness.now
        harness.manager.evaluateDue(at: start)
        harness.clock.advance(by: 100)
        try harness.push("a_total{job=\"j\"}", 1)
        try harness.push("b_total{job=\"j\"}", 1)
        harness.manager.seriesChanged(metricNames: ["a_total"])
        harness.manager.evaluateDue(at: start + 100)
        #expect(harness.owners(at: start + 100) == ["rules/rules.yml;reads-a", "rules/rules.yml;reads-any"])
        #expect(harness.reports.isEmpty)
    }

    @Test func burstsOfPushesCoalesce() throws {
        let harness = RuleManagerHarness(options: RuleManagerOptions(pushCoalescing: 50))
        try harness.load("groups: [{name: g, interval: 1m, rules: [{record: 'x:a', expr: sum(a_total)}]}]")
        try harness.push("a_total", 1)
        let start = harness.now
        harness.manager.evaluateDue(at: start)
        let base = harness.manager.status.evaluations
        harness.manager.seriesChanged(metricNames: ["a_total"])
        harness.manager.seriesChanged(metricNames: ["a_total"])
        harness.manager.evaluateDue(at: start + 100)
        #expect(harness.manager.status.evaluations == base + 1)
        harness.manager.seriesChanged(metricNames: ["a_total"])
        #expect(harness.manager.evaluateDue(at: start + 120) == start + 150)
        #expect(harness.manager.status.evaluations == base + 1)
        harness.manager.evaluateDue(at: start + 150)
        #expect(harness.manager.status.evaluations == base + 2)
        harness.manager.evaluateDue(at: start + 200)
        #expect(harness.manager.status.evaluations == base + 2)
    }

    @Test func runLoopWakesOnPushBeforeTheIntervalEnds() async throws {
        // The injected sleep never ends by itself: only a push (or cancellation) can wake the loop.
        let harness = RuleManagerHarness(sleep: { _ in try await Task.sleep(for: .seconds(3600)) })
        try harness.load("groups: [{name: g, interval: 1h, rules: [{record: 'x:a', expr: sum(a_total)}]}]")
        let loop = Task { try await harness.manager.run() }
        try await waitUntil("the first evaluation") { harness.manager.status.evaluations == 1 }
        harness.clock.advance(by: 1000)
        try harness.push("a_total", 5)
        harness.manager.seriesChanged(metricNames: ["a_total"])
        try await waitUntil("the push evaluation") { harness.manager.status.evaluations == 2 }
        #expect(try harness.manager.query("x:a", at: harness.now) == .vector([
            VectorElement(labels: Labels(["__name__": "x:a"]), value: 5)
        ]))
        loop.cancel()
        _ = await loop.result
    }

    @Test func runLoopStopsWhenCancelled() async throws {
        let harness = RuleManagerHarness()
        try harness.load(Self.twoGroups)
        let loop = Task { try await harness.manager.run() }
        try await waitUntil("an evaluation") { harness.manager.status.evaluations > 0 }
        loop.cancel()
        let result = await loop.result
        #expect((try? result.get()) != nil)
    }
}
