import Foundation
import KlaxonConfig
import KlaxonMetrics
import KlaxonRules
import Testing

/// Issue 11, item 1: a rule whose annotation formats with a hostile width passed `check rules`
/// and killed `test rules` (and `serve`, each time the alert fired) with a trap in `printf`.
@Suite struct RuleTemplateTrapTests {
    private func run(rules: String, tests: String) throws -> RuleTestReport {
        let directory = try Conformance.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try rules.write(to: directory.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
        return RuleTestRunner.run(bytes: Array(tests.utf8), file: "t.yml", directory: directory.path)
    }

    @Test(arguments: [
        ("%*d", "-9223372036854775808", "%!(BADWIDTH)1"),
        ("%-*d", "-9223372036854775808", "%!(BADWIDTH)1"),
        ("%*d", "10000000", "%!(BADWIDTH)1"),
        ("%.*d", "-9223372036854775808", "%!(BADPREC)1"),
    ])
    func hostileWidthInAnAnnotationExpandsAsPromtoolPrintsIt(_ verb: String, _ width: String, _ expected: String)
        throws
    {
        let rules = """
            groups:
              - name: g
                rules:
                  - alert: Wide
                    expr: up > 0
                    annotations:
                      summary: '{{ printf "\(verb)" \(width) 1 }}'
            """
        let tests = """
            rule_files: [rules.yml]
            tests:
              - interval: 1m
                input_series: [{series: 'up{job="a"}', values: '1'}]
                alert_rule_test:
                  - eval_time: 0m
                    alertname: Wide
                    exp_alerts: [{exp_labels: {job: a}, exp_annotations: {summary: '\(expected)'}}]
            """
        let report = try run(rules: rules, tests: tests)
        #expect(report.passed, "\(report.failures)")
    }
}

/// Durations in rule files are bounded as Prometheus bounds them, so time arithmetic on them
/// (`now + 4 × interval` when an alert is sent) cannot overflow.
@Suite struct RuleDurationBoundTests {
    @Test(arguments: ["interval: 100000000y", "interval: 293y"])
    func groupIntervalLongerThanPrometheusAllowsIsRefused(_ line: String) {
        let text = """
            groups:
              - name: g
                \(line)
                rules:
                  - record: r
                    expr: vector(1)
            """
        #expect {
            _ = try RuleFileLoader.load(text, file: "r.yml", options: RuleLoadOptions(policy: .prometheusCompatible))
        } throws: { error in
            "\(error)".contains("r.yml:3:") && "\(error)".contains("is out of range; at most 106751d23h47m16s854ms")
        }
    }

    @Test func alertSentWithTheLongestIntervalKeepsAValidUntilInRange() throws {
        let rule = try AlertingRule(name: "A", labels: [:], annotations: [:])
        var state = AlertingRuleState(rule: rule)
        let now: Int64 = 1_700_000_000_000
        _ = try state.evaluate([(labels: .empty, value: 1)], at: now)
        let sent = state.alertsToSend(
            at: now, resendDelay: 60_000, interval: PrometheusDuration.maxMilliseconds)
        #expect(sent.first?.validUntil == now + 4 * PrometheusDuration.maxMilliseconds)
    }
}
