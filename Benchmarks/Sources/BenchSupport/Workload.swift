import Foundation

/// The peers' workload files (`../shared/peer-bench`), generated once into a scratch folder.
public enum Workload {
    /// The repository root: the folder that holds `Benchmarks/`.
    public static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // BenchSupport
            .deletingLastPathComponent()  // Sources
            .deletingLastPathComponent()  // Benchmarks
            .deletingLastPathComponent()
    }

    /// The peers' benchmark scripts, beside the repository.
    public static var peerBench: URL {
        repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/peer-bench")
    }

    /// Where generated workload files go: `$KLAXON_BENCH_DATA`, else `Benchmarks/.build-data`.
    public static var dataDirectory: URL {
        if let custom = ProcessInfo.processInfo.environment["KLAXON_BENCH_DATA"], !custom.isEmpty {
            return URL(fileURLWithPath: custom)
        }
        return repositoryRoot.appendingPathComponent("Benchmarks/.build-data")
    }

    /// The 10 000-series body (`gen_body.py 100`), generated if it is not there yet.
    public static func body10k() throws -> [UInt8] {
        let file = dataDirectory.appendingPathComponent("body10k.txt")
        if !FileManager.default.fileExists(atPath: file.path) {
            try runPython("gen_body.py", arguments: ["100", file.path])
        }
        return try read(file)
    }

    /// The 200-rule group (`gen_rules.py`, which writes `rules.yml` in its working folder), generated if missing.
    public static func rules200() throws -> [UInt8] {
        let file = dataDirectory.appendingPathComponent("rules.yml")
        if !FileManager.default.fileExists(atPath: file.path) {
            try runPython("gen_rules.py", arguments: [])
        }
        return try read(file)
    }

    private static func read(_ file: URL) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw WorkloadError("cannot read \(file.path)")
        }
        return [UInt8](data)
    }

    private static func runPython(_ script: String, arguments: [String]) throws {
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", peerBench.appendingPathComponent(script).path] + arguments
        process.currentDirectoryURL = dataDirectory
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw WorkloadError("\(script) exited with status \(process.terminationStatus)")
        }
    }
}

/// A workload file could not be made or read.
public struct WorkloadError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
