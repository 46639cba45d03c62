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
        ("promtool/at-modifier-test.yml", true),
        ("thanos-rules/tests.yaml", true),
    ]

    @Test(arguments: cases)
    func klaxonGivesTheExpectedVerdict(file: String, passes: Bool) async throws {
        let report = try await PromtoolVerdict.klaxon(Conformance.path(file))
        #expect(report.passed == passes, "\(report.failures.joined(separator: "\n"))")
        // Every rule loads: none is left out with a warning.
        #expect(report.warnings.isEmpty, "\(report.warnings)")
    }

    @Test(.enabled(if: PromtoolVerdict.available, "promtool is not installed"), arguments: cases)
    func promtoolAgrees(file: String, passes: Bool) async throws {
        let promtool = try await PromtoolVerdict.test(Conformance.path(file))
        #expect(promtool.passed == passes, "\(promtool.standardError)")
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
        for file in ["thanos-rules/tests.yaml", "promtool/unittest.yml", "promtool/at-modifier-test.yml"] {
            let path = Conformance.path(file)
            let promtool = try await PromtoolVerdict.test(path)
            let klaxon = try await PromtoolVerdict.klaxon(path).promtoolOutput
            #expect(klaxon.standardOutput == promtool.standardOutput, "\(file)")
            #expect(klaxon.standardError == promtool.standardError, "\(file)")
        }
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
