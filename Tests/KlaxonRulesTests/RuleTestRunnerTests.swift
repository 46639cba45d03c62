import Foundation
import KlaxonRules
import Testing

@Suite struct RuleTestRunnerTests {
    /// Writes a rule file and a test file into a scratch folder and runs the test file.
    func run(rules: String, tests: String) throws -> RuleTestReport {
        let directory = try Conformance.scratchDirectory()
        try rules.write(to: directory.appendingPathComponent("rules.yml"), atomically: true, encoding: .utf8)
        return RuleTestRunner.run(bytes: Array(tests.utf8), file: "t.yml", directory: directory.path)
    }

    static let rules = """
        groups:
          - name: first
            rules:
              - record: step
                expr: vector(1)
          - name: second
            rules:
              - record: seen_step
                expr: step
              - alert: Up
                expr: up > 0
                for: 1m
        """

    @Test func groupEvalOrderLetsALaterGroupSeeAnEarlierGroupsOutputAtTheSameTime() throws {
        let test = { (order: String) in
            """
            rule_files: [rules.yml]
            group_eval_order: [\(order)]
            tests:
              - promql_expr_test:
                  - expr: seen_step
                    eval_time: 0
                    exp_samples: [{labels: seen_step, value: 1}]
            """
        }
        #expect(try run(rules: Self.rules, tests: test("first, second")).passed)
        let reversed = try run(rules: Self.rules, tests: test("second, first"))
        #expect(!reversed.passed)
        #expect(reversed.failures.first?.contains("got: nil") == true, "\(reversed.failures)")
    }

    @Test func pendingAlertsAreNotFiringAndEmptyExpectationsMeanNone() throws {
        let tests = """
            rule_files: [rules.yml]
            tests:
              - interval: 1m
                input_series: [{series: 'up{job="a"}', values: '1 1 1'}]
                alert_rule_test:
                  - {eval_time: 0m, alertname: Up}
                  - {eval_time: 59s, alertname: Up, exp_alerts: []}
                  - eval_time: 1m
                    alertname: Up
                    exp_alerts: [{exp_labels: {job: a}}]
            """
        let report = try run(rules: Self.rules, tests: tests)
        #expect(report.passed, "\(report.failures)")
    }

    @Test func alertTestWithoutAlertnameIsAnError() throws {
        let tests = "rule_files: [rules.yml]\ntests:\n  - {name: g, alert_rule_test: [{eval_time: 1m}]}\n"
        let report = try run(rules: Self.rules, tests: tests)
        #expect(
            report.failures == [
                "an item under alert_rule_test misses required attribute alertname at eval_time 1m (in TestGroup g)"
            ])
    }

    @Test(arguments: [
        ("tests: [{intervall: 1m}]", "t.yml:1:10: unknown key \"intervall\" in tests[0]"),
        (
            "tests:\n  - input_series: [{series: 'up{', values: '1'}]\n    promql_expr_test: [{expr: up}]",
            "1:5: parse error: unexpected character inside braces: '1'"
        ),
        ("tests: [{promql_expr_test: [{expr: 'up +'}]}]", "    expr: \"up +\", time: 0s, err: 1:5: "),
        ("tests: [{promql_expr_test: [{expr: up, exp_samples: [{labels: 'up{', value: 1}]}]}]", "err: labels \"up{\""),
        ("evaluation_interval: 1m\ngroup_eval_order: [a, a]\ntests: []", "group name repeated in evaluation order: a"),
    ])
    func refusesBrokenTestFiles(text: String, expected: String) throws {
        let report = try run(rules: Self.rules, tests: text)
        #expect(!report.passed)
        #expect(report.failures.contains { $0.contains(expected) }, "\(report.failures)")
    }

    @Test func ruleFilePatternsAreGlobbedAndAnEmptyMatchIsOnlyAWarning() throws {
        let directory = try Conformance.scratchDirectory()
        try Self.rules.write(to: directory.appendingPathComponent("a.rules.yml"), atomically: true, encoding: .utf8)
        let tests = """
            rule_files: ['*.rules.yml', 'missing/*.yml']
            tests:
              - promql_expr_test: [{expr: step, eval_time: 0, exp_samples: [{labels: step, value: 1}]}]
            """
        let report = RuleTestRunner.run(bytes: Array(tests.utf8), file: "t.yml", directory: directory.path)
        #expect(report.passed, "\(report.failures)")
        #expect(report.warnings == ["no file match pattern \(directory.path)/missing/*.yml"])
    }

    @Test func withoutAnIntervalEveryValueLandsAtTimeZeroAndTheFirstIsKept() async throws {
        let directory = try Conformance.scratchDirectory()
        let path = directory.appendingPathComponent("t.yml").path
        let text = """
            evaluation_interval: 30s
            tests:
              - input_series: [{series: x, values: '_ 1 2'}]
                promql_expr_test: [{expr: x, eval_time: 3m, exp_samples: [{labels: x, value: 1}]}]
            """
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try await PromtoolVerdict.klaxon(path).passed)
        if PromtoolVerdict.available {
            #expect(try await PromtoolVerdict.test(path).passed)
        }
    }

    @Test func successOutputIsPromtools() {
        let report = RuleTestReport(file: "t.yml", failures: [], warnings: [])
        #expect(report.promtoolOutput.standardOutput == "Unit Testing:  t.yml\n  SUCCESS\n\n")
        #expect(report.promtoolOutput.standardError.isEmpty)
    }
}
