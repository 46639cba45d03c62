import Foundation

/// What `promtool check metrics` said about an exposition body.
package struct PromtoolFindings: Sendable, CustomStringConvertible {
    /// promtool's exit status: 0 clean, 3 lint problems, 1 a body it could not parse.
    package let exitStatus: PeerExitStatus
    /// One entry per problem line promtool printed (lint findings and parse errors).
    package let problems: [String]

    /// True when promtool accepted the body with no finding at all.
    package var isClean: Bool { exitStatus == .exited(0) && problems.isEmpty }

    package var description: String {
        isClean ? "promtool: clean" : "promtool \(exitStatus):\n" + problems.joined(separator: "\n")
    }
}

/// Runs the real `promtool`, the judge of whether Klaxon's exposition is valid.
package enum Promtool {
    /// Feeds `body` to `promtool check metrics` and returns what it found.
    package static func checkMetrics(_ body: [UInt8], timeout: Duration = .seconds(30)) async throws
        -> PromtoolFindings
    {
        let promtool = try Executables.require(.promtool)
        let peer = try PeerProcess(executable: promtool, arguments: ["check", "metrics"], standardInput: body)
        let status = try await peer.waitForExit(timeout: timeout)
        let output = peer.standardOutput + "\n" + peer.standardError
        let problems = output.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return PromtoolFindings(exitStatus: status, problems: problems)
    }

    /// Feeds `text` to `promtool check metrics`.
    package static func checkMetrics(_ text: String, timeout: Duration = .seconds(30)) async throws
        -> PromtoolFindings
    {
        try await checkMetrics(Array(text.utf8), timeout: timeout)
    }

    /// Runs `promtool check config` on the Prometheus configuration at `path` (its rule files
    /// included); returns the exit status and everything promtool printed.
    package static func checkConfig(_ path: String, timeout: Duration = .seconds(30)) async throws
        -> (status: PeerExitStatus, output: String)
    {
        let promtool = try Executables.require(.promtool)
        let peer = try PeerProcess(executable: promtool, arguments: ["check", "config", path])
        let status = try await peer.waitForExit(timeout: timeout)
        return (status, peer.standardOutput + peer.standardError)
    }
}
