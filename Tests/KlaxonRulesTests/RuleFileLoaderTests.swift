import KlaxonConfig
import KlaxonRules
import KlaxonTestSupport
import Testing

@Suite struct RuleFileLoaderTests {
    static let compatible = RuleLoadOptions(policy: .prometheusCompatible)

    func errors(_ text: String, options: RuleLoadOptions = .klaxon) -> [ConfigError] {
        do {
            _ = try RuleFileLoader.load(text, file: "r.yml", options: options)
            return []
        } catch {
            return error.errors
        }
    }

    // MARK: - What loads

    @Test func loadsGroupsWithIntervalsLimitsAndRules() throws {
        let file = try RuleFileLoader.load(
            """
            groups:
              - name: engine
                interval: 5s
                limit: 10
                eval_on_push: false
                rules:
                  - record: job:errors:rate1m
                    expr: sum by (job) (rate(errors_total[1m]))
                  - alert: ErrorsHigh
                    expr: job:errors:rate1m > 1
                    for: 30s
                    keep_firing_for: 1m
                    labels: {severity: P1, source: engine}
                    annotations: {summary: "{{ $labels.job }} errors at {{ $value }}"}
              - name: defaults
                rules: []
            """, file: "r.yml")
        #expect(file.groups.map(\.name) == ["engine", "defaults"])
        let engine = file.groups[0]
        #expect(engine.interval == 5000 && engine.limit == 10 && !engine.evalOnPush)
        #expect(engine.metricNames == ["errors_total", "job:errors:rate1m"])
        #expect(file.groups[1].interval == 1000 && file.groups[1].evalOnPush)
        #expect(file.ruleCount == 2)
        guard case .alerting(let alert) = engine.rules[1].kind else {
            Issue.record("second rule should be an alerting rule")
            return
        }
        #expect(alert.holdDuration == 30_000 && alert.keepFiringFor == 60_000)
        #expect(alert.expression == "job:errors:rate1m > 1")
    }

    @Test func aSelectorWithoutAFixedNameReadsAnyMetric() throws {
        let file = try RuleFileLoader.load(
            "groups: [{name: g, rules: [{record: x, expr: 'count({job=\"a\"})'}]}]", file: "r.yml")
        #expect(file.groups[0].metricNames == nil)
    }

    // MARK: - What is refused, and where

    @Test(arguments: [
        (
            "groups: [{name: g, rules: [{alert: A, expr: 'up ==', labels: {severity: P1}}]}]", 1, 51,
            "could not parse expression: 1:6"
        ),
        (
            "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: |\n          sum(up)\n            + rate(up)\n        labels: {severity: P1}\n",
            7, 20, "expected type range vector"
        ),
        (
            "groups:\n- name: g\n  rules:\n  - record: r\n    expr: holt_winters(x[5m], 0.5)\n", 5, 11,
            "holt_winters\", got 2"
        ),
        (
            "groups:\n- name: g\n  rules:\n  - record: r\n    expr: 'max_over_time(x[5m][5m:1m])'\n", 5, 26,
            "subquery is only allowed on instant vector, got matrix instead"
        ),
        (
            "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {severity: critical}\n", 6, 24,
            "label severity is \"critical\"; allowed: P0, P1, P2, P3 (did you mean P0?)"
        ),
        ("groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n", 4, 5, "label severity is missing"),
        (
            "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    for: 5x\n    labels: {severity: P2}\n", 6,
            10,
            "invalid duration \"5x\""
        ),
        (
            "groups:\n- name: g\n  rules:\n  - alert: A\n    expr: up\n    labels: {severity: P2}\n    annotations:\n      summary: '{{ .Foo'\n",
            8, 16, "annotation summary: template"
        ),
        (
            "groups:\n- name: g\n  intervl: 1m\n", 3, 3,
            "unknown key \"intervl\" in groups[0]; allowed: name, interval, limit, rules, eval_on_push"
        ),
        ("groups:\n- name: g\n  rules:\n  - record: r\n    expr: x[5m]\n", 5, 11, "expression returns a range vector"),
        ("groups:\n- name: g\n  rules:\n  - record: r\n    expr: '  '\n", 5, 11, "field 'expr' must be set"),
        ("groups:\n- name: g\n  interval: 0s\n", 3, 3, "must be greater than 0"),
    ])
    func refusesWithPosition(text: String, line: Int, column: Int, message: String) {
        let found = errors(text)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.mark == Mark(line: line, column: column), "\(found)")
        #expect(found.first?.message.contains(message) == true, "\(found)")
    }

    @Test func reportsEveryProblemOfAFileAtOnce() {
        let found = errors(
            """
            groups:
            - name: g
              rules:
              - alert: A
                expr: up ==
                labels: {severity: P0}
              - record: bad-name
                expr: up
              - alert: B
                expr: up
                labels: {severity: P9}
            - name: g
            """)
        #expect(found.map(\.mark.line) == [5, 7, 11, 12], "\(found)")
        #expect(found.allSatisfy { $0.file == "r.yml" })
        #expect(found[0].description.hasPrefix("r.yml:5:"))
        #expect(found[0].message.contains("group \"g\", rule 1, \"A\""))
    }

    @Test func compatibleModeAcceptsOtherSeverityVocabularies() throws {
        let text = "groups: [{name: g, rules: [{alert: A, expr: up, labels: {severity: critical}}]}]"
        #expect(!errors(text).isEmpty)
        #expect(try RuleFileLoader.load(text, file: "r.yml", options: Self.compatible).ruleCount == 1)
    }

    @Test func subqueriesAndAtModifiersLoad() throws {
        let text =
            "groups:\n- name: g\n  rules:\n  - record: a\n    expr: up @ start()\n  - record: b\n    expr: 'rate(up[5m:])'\n"
        for options in [RuleLoadOptions.klaxon, Self.compatible] {
            let file = try RuleFileLoader.load(text, file: "r.yml", options: options)
            #expect(file.groups[0].rules.map(\.name) == ["a", "b"])
        }
    }

    // MARK: - Peer files

    @Test func prometheusRulefmtExampleLoadsInCompatibleMode() throws {
        let file = try RuleFileLoader.load(path: Conformance.path("rulefmt/test.yaml"), options: Self.compatible)
        #expect(file.groups.map(\.name) == ["my-group-name", "my-another-name"])
        #expect(file.ruleCount == 6)
        #expect(file.groups[0].interval == 30_000)
    }

    @Test func prometheusRulefmtExampleIsRefusedByKlaxonsSeverityPolicy() {
        #expect(throws: ConfigErrors.self) { try RuleFileLoader.load(path: Conformance.path("rulefmt/test.yaml")) }
    }

    @Test(arguments: Conformance.files(in: "rulefmt", suffix: ".bad.yaml"))
    func everyBadRulefmtFileIsRefused(name: String) {
        for options in [RuleLoadOptions.klaxon, Self.compatible] {
            #expect(throws: ConfigErrors.self) {
                try RuleFileLoader.load(path: Conformance.path("rulefmt/\(name)"), options: options)
            }
        }
    }

    @Test func badRulefmtFilesArePresent() {
        #expect(Conformance.files(in: "rulefmt", suffix: ".bad.yaml").count >= 12)
    }

    @Test func thanosRulePackLoadsWhole() throws {
        // Every one of Thanos's 48 alerts and 16 recording rules loads; only the severity vocabulary
        // (critical/warning/info) needs compatible mode.
        let alerts = try RuleFileLoader.load(
            path: Conformance.path("thanos-rules/alerts.yaml"), options: Self.compatible)
        let rules = try RuleFileLoader.load(path: Conformance.path("thanos-rules/rules.yaml"), options: Self.compatible)
        #expect(alerts.ruleCount == 48 && rules.ruleCount == 16)
    }

    @Test func promtoolRulesWithASubqueryLoadWhole() throws {
        for name in ["rules.yml", "at-modifier.yml"] {
            let file = try RuleFileLoader.load(path: Conformance.path("promtool/\(name)"), options: Self.compatible)
            #expect(file.ruleCount > 0, "\(name)")
        }
    }

    @Test func largePeerFileLoads() async throws {
        let path = Conformance.path("promtool/rules_large.yml")
        let options = Self.compatible
        let file = try await offCooperativePool { try RuleFileLoader.load(path: path, options: options) }
        #expect(file.ruleCount > 10_000)
    }
}

extension RuleFileLoaderTests {
    @Test(arguments: ["\n", "\r\n", "\r"])
    func blockScalarPositionsHoldForEveryLineBreak(lineBreak: String) {
        let text = [
            "groups:", "- name: g", "  rules:", "  - record: r", "    expr: |", "      sum(up)", "        + rate(up)",
            "",
        ]
        .joined(separator: lineBreak)
        let found = errors(text)
        #expect(found.first?.mark == Mark(line: 7, column: 16), "\(found)")
    }
}
