import Foundation
import KlaxonConfig
import KlaxonMetrics
import KlaxonPromQL

/// What `test rules` found in one test file.
package struct RuleTestReport: Sendable {
    package var file: String
    /// Failures as promtool words them, one entry per failed check (may span lines).
    package var failures: [String]
    /// Notes printed as promtool's `WARNING:` lines (a rule file pattern matching nothing).
    package var warnings: [String]

    package init(file: String, failures: [String], warnings: [String]) {
        self.file = file
        self.failures = failures
        self.warnings = warnings
    }

    /// True when every check passed.
    package var passed: Bool { failures.isEmpty }

    /// The report as `promtool test rules` prints it: stdout part and stderr part.
    package var promtoolOutput: (standardOutput: String, standardError: String) {
        var out = "Unit Testing:  \(file)\n"
        var err = warnings.map { "  WARNING: \($0)\n" }.joined()
        if passed {
            out += "  SUCCESS\n\n"
        } else {
            // promtool writes each failure to stderr and the blank line after it to stdout.
            err += "  FAILED:\n" + failures.map { $0 + "\n" }.joined()
            out += String(repeating: "\n", count: failures.count + 1)
        }
        return (out, err)
    }
}

/// Runs promtool-format rule unit tests with promtool 2.42's semantics: rules evaluated every
/// `evaluation_interval` from 0 to the latest `eval_time`, input samples visible once their time
/// has come, alerts compared as sorted sets of firing alerts, PromQL checked after evaluation.
package enum RuleTestRunner {
    /// The largest test file read.
    package static let maximumFileSize = 8 << 20

    /// Runs every test of the file at `path`.
    package static func run(path: String) -> RuleTestReport {
        var report = RuleTestReport(file: path, failures: [], warnings: [])
        let bytes: [UInt8]
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            guard size <= maximumFileSize else {
                report.failures = ["\(path): test file is \(size) bytes; the limit is \(maximumFileSize) bytes"]
                return report
            }
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            report.failures = ["\(path): cannot read test file: \(error.localizedDescription)"]
            return report
        }
        let directory = (path as NSString).deletingLastPathComponent
        return run(bytes: bytes, file: path, directory: directory.isEmpty ? "." : directory)
    }

    /// Runs the tests in `bytes`; rule files are read from disk relative to `directory`.
    package static func run(bytes: [UInt8], file: String, directory: String) -> RuleTestReport {
        var report = RuleTestReport(file: file, failures: [], warnings: [])
        let testFile: RuleTestFile
        do {
            testFile = try RuleTestFile.parse(bytes: bytes, file: file, directory: directory)
        } catch {
            report.failures = error.errors.map(\.description)
            return report
        }
        // Rule tests check behaviour, not Klaxon's routing policy.
        let options = RuleLoadOptions(policy: .prometheusCompatible, defaultInterval: testFile.evaluationInterval)
        var groups: [RuleGroupDefinition] = []
        var notes: [String] = []
        let ruleFiles = testFile.ruleFiles.flatMap { pattern in
            let matches = RuleFileGlob.expand(pattern)
            // As promtool: a pattern matching nothing is a warning, and the tests still run.
            if matches.isEmpty { notes.append("no file match pattern \(pattern)") }
            return matches
        }
        for ruleFile in ruleFiles {
            do {
                let loaded = try RuleFileLoader.load(path: ruleFile, options: options)
                groups += loaded.groups
            } catch {
                report.failures += error.errors.map(\.description)
            }
        }
        report.warnings = notes
        guard report.passed else { return report }
        let order = Dictionary(
            testFile.groupEvalOrder.enumerated().map { ($0.element, $0.offset) },
            uniquingKeysWith: { first, _ in first })
        let ordered = groups.enumerated().sorted { lhs, rhs in
            let left = order[lhs.element.name] ?? 0
            let right = order[rhs.element.name] ?? 0
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
        for test in testFile.tests {
            var run = RuleTestGroupRun(test: test, groups: ordered, evaluationInterval: testFile.evaluationInterval)
            report.failures += run.execute()
        }
        return report
    }
}
