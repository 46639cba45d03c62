import Foundation
import KlaxonTestSupport

/// Locates peer tools on PATH and runs them with stdin, for format cross-checks.
enum PeerTools {
    static let promtool = find("promtool")
    static let python = find("python3")

    /// True when python3 can import prometheus_client.
    static let pythonClient: Bool = {
        guard let python else { return false }
        return (try? runBlocking(python, ["-c", "import prometheus_client"], input: []))?.status == 0
    }()

    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `executable` with `arguments` and `input` on stdin; returns the exit status and combined output.
    /// The wait happens off the cooperative pool so other tests keep running meanwhile.
    static func run(_ executable: String, _ arguments: [String], input: [UInt8]) async throws -> (
        status: Int32, output: String
    ) {
        try await offCooperativePool { try runBlocking(executable, arguments, input: input) }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String], input: [UInt8]) throws -> (
        status: Int32, output: String
    ) {
        // stdin comes from a file so the child never waits on us while we wait on its output.
        let inputURL = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-peer-\(UUID().uuidString)")
        try Data(input).write(to: inputURL)
        defer { try? FileManager.default.removeItem(at: inputURL) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
