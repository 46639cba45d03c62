import Foundation

/// The Go Prometheus client's `push` package, run unchanged through `Tests/Peers/gopush/main.go`.
///
/// The program is built once per test process (GOPATH mode against Debian's
/// `golang-github-prometheus-client-golang-dev`, with a build cache in a temporary directory), then run
/// per push. It pushes protobuf, as every Go engine does.
package enum GoPushClient {
    /// Where Debian installs Go library sources.
    package static let gopath = "/usr/share/gocode"

    /// Whether `go` and the client library are installed.
    package static var isInstalled: Bool {
        Executables.path(of: .go) != nil
            && FileManager.default.fileExists(
                atPath: gopath + "/src/github.com/prometheus/client_golang/prometheus/push/push.go")
    }

    /// Whether tests needing the Go client should run: it is installed, or peers are required (then they fail).
    package static var shouldRun: Bool { Executables.peersRequired || isInstalled }

    /// The one build of this process, started by the first caller.
    private static let build = Task { try await compile() }

    /// Runs `gopush URL ACTION STEP` (ACTION: push, add or delete) and returns the finished process.
    package static func run(url: String, action: String, step: Int) async throws -> PeerProcess {
        let binary = try await build.value
        let process = try PeerProcess(executable: binary, arguments: [url, action, String(step)])
        _ = try await process.waitForExit(timeout: .seconds(30))
        return process
    }

    private static func compile() async throws -> URL {
        guard isInstalled, let go = Executables.path(of: .go) else { throw MissingExecutableError(name: "go") }
        let directory = try PeerDirectories.make(for: "gopush-build")
        let binary = directory.appendingPathComponent("gopush")
        let cache = directory.appendingPathComponent("cache")
        let source = Executables.packageRoot.appendingPathComponent("Tests/Peers/gopush/main.go")
        let compiler = try PeerProcess(
            executable: go, arguments: ["build", "-o", binary.path, source.path],
            environment: [
                "GO111MODULE": "off", "GOPATH": gopath, "GOCACHE": cache.path,
                "GOFLAGS": "",
            ])
        let status = try await compiler.waitForExit(timeout: .seconds(300))
        guard status == .exited(0) else {
            throw PeerStartError(name: "go build of gopush", status: status, output: compiler.outputForDiagnosis)
        }
        // The binary stays for the rest of the test process; the build cache is not needed again.
        try? FileManager.default.removeItem(at: cache)
        return binary
    }
}
