import Foundation
import KlaxonRules
import KlaxonTestSupport

/// Runs `promtool test rules` on a file, for tests that require Klaxon to agree with it.
enum PromtoolVerdict {
    struct Result {
        var passed: Bool
        var standardOutput: String
        var standardError: String
    }

    static var available: Bool { Executables.shouldRun(needing: .promtool) }

    /// promtool's result, run in the file's folder with the file's name, as an operator would.
    static func test(_ path: String) async throws -> Result {
        let promtool = try Executables.require(.promtool)
        let url = URL(fileURLWithPath: path)
        let process = try PeerProcess(
            executable: promtool, arguments: ["test", "rules", url.lastPathComponent],
            workingDirectory: url.deletingLastPathComponent())
        let status = try await process.waitForExit(timeout: .seconds(120))
        return Result(
            passed: status == .exited(0), standardOutput: process.standardOutput, standardError: process.standardError)
    }

    /// Klaxon's runner on the same file, named the same way; run off the cooperative pool because
    /// long files compute for seconds in debug builds.
    static func klaxon(_ path: String) async throws -> RuleTestReport {
        try await offCooperativePool {
            let url = URL(fileURLWithPath: path)
            guard let data = try? Data(contentsOf: url) else {
                return RuleTestReport(file: path, failures: ["cannot read \(path)"], warnings: [])
            }
            return RuleTestRunner.run(
                bytes: Array(data), file: url.lastPathComponent, directory: url.deletingLastPathComponent().path)
        }
    }
}
