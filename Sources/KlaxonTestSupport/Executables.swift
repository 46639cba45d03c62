import Foundation

/// A program the integration tests run next to Klaxon to judge its output.
package enum Peer: String, Sendable, CaseIterable {
    case promtool
    case prometheus
    case pushgateway
    case python3
    case wrk
    /// The Go toolchain, with Debian's client_golang sources under `GOPATH=/usr/share/gocode`.
    case go
    /// Debian's `prometheus-alertmanager` (its CLI `amtool` comes with it).
    case alertmanager
    /// Debian's `chromium`, run headless to load the status page as a browser does.
    case chromium

    /// Names the program goes by on `PATH`; Debian calls the Pushgateway `prometheus-pushgateway`.
    var commandNames: [String] {
        switch self {
        case .pushgateway: ["pushgateway", "prometheus-pushgateway"]
        case .alertmanager: ["alertmanager", "prometheus-alertmanager"]
        case .chromium: ["chromium", "chromium-browser"]
        default: [rawValue]
        }
    }
}

/// Locates the built `klaxon` binary and the peers tests compare it with.
///
/// A missing peer skips the tests that need it, except when `KLAXON_REQUIRE_PEERS=1` (set by
/// `.ci/run`): there a missing peer must fail the run, not silently shrink it.
package enum Executables {
    /// The folder holding `Package.swift`.
    package static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
            url.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// Whether missing peers fail tests instead of skipping them (`KLAXON_REQUIRE_PEERS=1`).
    package static var peersRequired: Bool {
        ProcessInfo.processInfo.environment["KLAXON_REQUIRE_PEERS"] == "1"
    }

    /// The `klaxon` binary: `KLAXON_BIN`, else next to the running test binary, else
    /// `.build/debug/klaxon` under the package root; nil when none exists.
    package static func klaxon() -> URL? {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [URL] = []
        if let path = environment["KLAXON_BIN"], !path.isEmpty {
            candidates.append(URL(fileURLWithPath: path))
        }
        if let testBinary = Bundle.main.executableURL {
            candidates.append(testBinary.deletingLastPathComponent().appendingPathComponent("klaxon"))
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/klaxon"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// The installed peer, found on `PATH`; nil when it is not installed.
    package static func path(of peer: Peer) -> URL? {
        peer.commandNames.lazy.compactMap(find).first
    }

    /// The first executable called `name` in a `PATH` directory, as a shell would find it.
    package static func find(_ name: String) -> URL? {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }

    /// Whether a test needing `peer` should run: it is installed, or peers are required (then the
    /// test runs and `require` fails it with a message naming what to install).
    package static func shouldRun(needing peer: Peer) -> Bool {
        peersRequired || path(of: peer) != nil
    }

    /// Whether tests needing the Python `prometheus_client` package should run.
    package static var shouldRunPythonClientTests: Bool {
        peersRequired || pythonHasPrometheusClient
    }

    /// Whether `python3 -c 'import prometheus_client'` succeeds; computed once.
    package static let pythonHasPrometheusClient: Bool = {
        guard let python = path(of: .python3) else { return false }
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", "import prometheus_client"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// The peer's path; throws `MissingExecutableError` naming what to install when it is absent.
    package static func require(_ peer: Peer) throws -> URL {
        guard let url = path(of: peer) else { throw MissingExecutableError(name: peer.rawValue) }
        return url
    }

    /// The `klaxon` binary; throws `MissingExecutableError` saying how to build it when absent.
    package static func requireKlaxon() throws -> URL {
        guard let url = klaxon() else { throw MissingExecutableError(name: "klaxon") }
        return url
    }
}

/// A program a test needs is not there.
package struct MissingExecutableError: Error, CustomStringConvertible {
    /// The program's name.
    package let name: String

    package var description: String {
        switch name {
        case "klaxon":
            "the klaxon binary was not found: run `swift build` first, or set KLAXON_BIN to its path"
        case "python3":
            "python3 is not installed: install it (apt-get install python3 python3-pip)"
        case "pushgateway":
            "pushgateway is not installed: install it (apt-get install prometheus-pushgateway)"
        case "postgres":
            "PostgreSQL is not installed: install it (apt-get install postgresql)"
        case "go":
            "go or the Go Prometheus client is not installed: install them "
                + "(apt-get install golang-go golang-github-prometheus-client-golang-dev)"
        case "alertmanager":
            "alertmanager is not installed: install it (apt-get install prometheus-alertmanager)"
        case "chromium":
            "chromium is not installed: install it (apt-get install chromium)"
        case "promtool", "prometheus":
            "\(name) is not installed: install it (apt-get install prometheus)"
        default:
            "\(name) is not installed: install it (see .ci/run for the packages CI installs)"
        }
    }
}
