import KlaxonConfig
import KlaxonRules

/// `klaxon check rules` and `klaxon test rules`: the work, with output returned as text so the
/// executable only prints it and tests can read it.
package enum RuleCommands {
    /// What a command printed and its exit status.
    package struct Outcome: Sendable {
        package var standardOutput: String
        package var standardError: String
        package var exitStatus: Int32
    }

    /// Checks each rule file with Klaxon's policy, as `promtool check rules` reports.
    package static func checkRules(paths: [String]) -> Outcome {
        var outcome = Outcome(standardOutput: "", standardError: "", exitStatus: 0)
        for path in paths {
            outcome.standardOutput += "Checking \(path)\n"
            do {
                let file = try RuleFileLoader.load(path: path, options: .klaxon)
                outcome.standardOutput += "  SUCCESS: \(file.ruleCount) rules found\n\n"
            } catch {
                outcome.standardError += "  FAILED:\n" + error.errors.map { "\($0.description)\n" }.joined() + "\n"
                outcome.exitStatus = 1
            }
        }
        return outcome
    }

    /// Runs each promtool-format test file, as `promtool test rules` reports.
    package static func testRules(paths: [String]) -> Outcome {
        var outcome = Outcome(standardOutput: "", standardError: "", exitStatus: 0)
        for path in paths {
            let report = RuleTestRunner.run(path: path)
            let (out, err) = report.promtoolOutput
            outcome.standardOutput += out
            outcome.standardError += err
            if !report.passed { outcome.exitStatus = 1 }
        }
        return outcome
    }
}
