import Foundation
import KlaxonServer
import Testing

/// `klaxon check rules` and `klaxon test rules` as an operator reads them.
@Suite struct RuleCommandsTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String {
        packageRoot.appendingPathComponent(relative).standardizedFileURL.path
    }

    @Test func checkRulesReportsEachFileAndItsRuleCount() {
        let file = Self.path("alert-rules/trading-risk.yml")
        let outcome = RuleCommands.checkRules(paths: [file])
        #expect(outcome.exitStatus == 0)
        // Counted as a reader of the file would: one `- alert:` or `- record:` line per rule.
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        let rules = text.split(separator: "\n").filter { line in
            let trimmed = line.drop { $0 == " " }
            return trimmed.hasPrefix("- alert:") || trimmed.hasPrefix("- record:")
        }
        #expect(rules.count > 10)
        #expect(outcome.standardOutput == "Checking \(file)\n  SUCCESS: \(rules.count) rules found\n\n")
        #expect(outcome.standardError.isEmpty)
    }

    @Test func checkRulesAppliesTheSeverityPolicyAndNamesEveryPosition() {
        let file = Self.path("../shared/conformance/rulefmt/test.yaml")
        let outcome = RuleCommands.checkRules(paths: [Self.path("alert-rules/trading-risk.yml"), file])
        #expect(outcome.exitStatus == 1)
        #expect(outcome.standardOutput.contains("Checking \(file)\n"))
        let lines = outcome.standardError.split(separator: "\n").filter { $0.hasPrefix(file) }
        #expect(lines.count == 4, "\(outcome.standardError)")
        #expect(lines.first?.hasPrefix("\(file):12:21: group \"my-group-name\", rule 1, \"HighErrors\"") == true)
        #expect(lines.allSatisfy { $0.contains("label severity is \"critical\"") })
    }

    @Test func checkRulesFailsOnAMissingFile() {
        let outcome = RuleCommands.checkRules(paths: ["/nonexistent/rules.yml"])
        #expect(outcome.exitStatus == 1)
        #expect(outcome.standardError.contains("/nonexistent/rules.yml:1:1: cannot read rule file"))
    }

    @Test func testRulesPrintsPromtoolsSuccessAndFailure() {
        let passing = Self.path("../shared/conformance/thanos-rules/tests.yaml")
        let failing = Self.path("../shared/conformance/promtool/failing.yml")
        let outcome = RuleCommands.testRules(paths: [passing, failing])
        #expect(outcome.exitStatus == 1)
        #expect(outcome.standardOutput.hasPrefix("Unit Testing:  \(passing)\n  SUCCESS\n\nUnit Testing:  \(failing)\n"))
        #expect(outcome.standardError.contains("  FAILED:\n    name: Failing test,\n    alertname: Test, time: 0s, \n"))
        #expect(RuleCommands.testRules(paths: [passing]).exitStatus == 0)
    }
}
