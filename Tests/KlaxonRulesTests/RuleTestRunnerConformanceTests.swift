import Foundation
import KlaxonRules
import Testing

/// promtool's own rule-test files and Thanos's pack: Klaxon must reach promtool's verdict.
@Suite struct RuleTestRunnerConformanceTests {
    static let cases: [(file: String, passes: Bool)] = [
        ("promtool/unittest.yml", true),
        ("promtool/long-period.yml", true),
        ("promtool/failing.yml", false),
        ("promtool/bad-input-series.yml", false),
        ("promtool/bad-promql.yml", false),
        ("promtool/bad-rules-error-test.yml", false),
        ("promtool/bad-rules-syntax-test.yml", false),
        ("promtool/negative-offset-test.yml", true),
        // The rule uses `@`, outside the subset: it is left out with a warning; the test checks nothing else.
        ("promtool/at-modifier-test.yml", true),
        ("thanos-rules/tests.yaml", true),
    ]

    @Test(arguments: cases)
    func klaxonGivesTheExpectedVerdict(file: String, passes: Bool) async throws {
        let report = try await PromtoolVerdict.klaxon(Conformance.path(file))
        #expect(report.passed == passes, "\(report.failures.joined(separator: "\n"))")
    }

    @Test(.enabled(if: PromtoolVerdict.available, "promtool is not installed"), arguments: cases)
    func promtoolAgrees(file: String, passes: Bool) async throws {
        let promtool = try await PromtoolVerdict.test(Conformance.path(file))
        #expect(promtool.passed == passes, "\(promtool.standardError)")
    }

    @Test func unittestLeavesOutTheSubqueryRuleWithAWarningNamingIt() async throws {
        let report = try await PromtoolVerdict.klaxon(Conformance.path("promtool/unittest.yml"))
        #expect(report.warnings.count == 1)
        #expect(report.warnings.first?.contains("rules.yml:28:33:") == true)
        #expect(report.warnings.first?.contains("\"suquery_interval_test\"") == true)
    }

    @Test(.enabled(if: PromtoolVerdict.available, "promtool is not installed"))
    func failureTextIsPromtools() async throws {
        let path = Conformance.path("promtool/failing.yml")
        let promtool = try await PromtoolVerdict.test(path)
        let (out, err) = try await PromtoolVerdict.klaxon(path).promtoolOutput
        let withoutWarnings = err.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix("  WARNING:") }.joined(separator: "\n")
        #expect(withoutWarnings == promtool.standardError)
        #expect(out == promtool.standardOutput)
    }

    @Test(.enabled(if: PromtoolVerdict.available, "promtool is not installed"))
    func successTextIsPromtools() async throws {
        let path = Conformance.path("thanos-rules/tests.yaml")
        let promtool = try await PromtoolVerdict.test(path)
        #expect(try await PromtoolVerdict.klaxon(path).promtoolOutput.standardOutput == promtool.standardOutput)
    }

    @Test func ruleEvaluationErrorNamesRuleAndTime() async throws {
        let report = try await PromtoolVerdict.klaxon(Conformance.path("promtool/bad-rules-error-test.yml"))
        #expect(report.failures.count == 1)
        #expect(report.failures.first?.hasPrefix("    rule: joined, time: 0s, err: ") == true)
        #expect(report.failures.first?.contains("many-to-many matching not allowed") == true)
    }

    @Test func ruleSyntaxErrorNamesFileLineAndColumn() async throws {
        let report = try await PromtoolVerdict.klaxon(Conformance.path("promtool/bad-rules-syntax-test.yml"))
        #expect(
            report.failures.first?.contains("bad-rules-syntax.yml:7:22: group \"bad-syntax\", rule 1, \"x\"") == true)
    }
}
