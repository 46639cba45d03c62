import Foundation
import Synchronization

/// A real PostgreSQL server for the store tests, started from Debian's `postgresql` package.
///
/// `initdb` makes a cluster in the peer's temporary directory; the server listens on 127.0.0.1 on
/// a free port with its Unix socket in that directory, trusts local connections, and is stopped
/// by PID (SIGINT, PostgreSQL's fast shutdown). PostgreSQL refuses to run as root, so when the
/// tests run as root both run as the system user `postgres` (through `setpriv`, which execs, so
/// the PID is the server's own). `shared()` starts one server per test process, on first use,
/// for every test: each test makes its own database with `createDatabase()`.
package final class PostgresPeer: Sendable {
    /// The port the server listens on (127.0.0.1).
    package let port: UInt16
    /// The peer's directory: the cluster (`data/`) and the Unix socket.
    package let directory: URL
    private let binaries: URL
    private let server: Mutex<PeerProcess?>

    // MARK: - Finding and starting

    /// The newest `/usr/lib/postgresql/*/bin` holding `initdb` and `postgres`; nil when none.
    package static let binDirectory: URL? = {
        let root = URL(fileURLWithPath: "/usr/lib/postgresql")
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return versions.compactMap { Int($0) }.sorted(by: >).lazy.map {
            root.appendingPathComponent("\($0)/bin")
        }.first { bin in
            FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("initdb").path)
                && FileManager.default.isExecutableFile(atPath: bin.appendingPathComponent("postgres").path)
        }
    }()

    /// Whether PostgreSQL tests run: it is installed, or peers are required (`KLAXON_REQUIRE_PEERS=1`),
    /// in which case a missing server fails them naming the package.
    package static var shouldRun: Bool { Executables.peersRequired || binDirectory != nil }

    /// The server every test of this process shares, started on first use.
    package static func shared() async throws -> PostgresPeer {
        try await sharedServer.value
    }

    private static let sharedServer = Task<PostgresPeer, any Error> {
        let peer = try await PostgresPeer.start()
        sharedServerFiles.withLock { $0 = (peer.pid, peer.directory) }
        // The shared server outlives every test; stop it when the test process exits.
        atexit { PostgresPeer.stopSharedServerAtExit() }
        return peer
    }

    private static let sharedServerFiles = Mutex<(pid: Int32?, directory: URL)?>(nil)

    /// Stops the shared server by PID and deletes its directory once it is gone (at most 10 s).
    private static func stopSharedServerAtExit() {
        guard let files = sharedServerFiles.withLock({ $0 }) else { return }
        if let pid = files.pid {
            kill(pid, SIGINT)
            // At exit there is nothing to await on; the server deletes postmaster.pid last when it
            // has shut down (a bounded poll, not a test's wait).
            let pidFile = files.directory.appendingPathComponent("data/postmaster.pid").path
            for _ in 0..<200 where FileManager.default.fileExists(atPath: pidFile) { usleep(50_000) }
        }
        PeerDirectories.remove(files.directory)
    }

    /// Makes a cluster and starts a server of its own (for tests that stop and restart it).
    package static func start() async throws -> PostgresPeer {
        guard let binaries = binDirectory else { throw MissingExecutableError(name: "postgres") }
        let directory = try PeerDirectories.make(for: "postgres")
        let user = try SystemUser.postgresIfRoot()
        if let user { try user.own(directory) }
        let initdb = try PeerProcess(
            executable: user?.launcher ?? binaries.appendingPathComponent("initdb"),
            arguments: (user?.launcherArguments ?? [])
                + (user == nil ? [] : [binaries.appendingPathComponent("initdb").path])
                + [
                    "-D", directory.appendingPathComponent("data").path, "-U", "postgres", "--auth=trust",
                    "--no-locale", "-E", "UTF8", "--no-sync",
                ])
        let status = try await initdb.waitForExit(timeout: .seconds(120))
        guard status == .exited(0) else {
            throw PostgresPeerError.initdbFailed(status, initdb.outputForDiagnosis)
        }
        let peer = PostgresPeer(port: try FreePort.next(), directory: directory, binaries: binaries)
        try await peer.startServer()
        return peer
    }

    private init(port: UInt16, directory: URL, binaries: URL) {
        self.port = port
        self.directory = directory
        self.binaries = binaries
        self.server = Mutex(nil)
    }

    deinit {
        if let process = server.withLock({ $0 }), process.exitStatus == nil { process.send(signal: SIGINT) }
        PeerDirectories.remove(directory)
    }

    /// The running server's PID, or nil while stopped.
    package var pid: Int32? { server.withLock { $0?.pid } }

    // MARK: - Running

    /// Starts the server on the cluster and waits until it accepts connections.
    package func startServer() async throws {
        let user = try SystemUser.postgresIfRoot()
        let postgres = binaries.appendingPathComponent("postgres")
        // Durability is not under test here (it is the database's own), so fsync is off to keep
        // the suite fast on shared disks; the benchmark runs with PostgreSQL's defaults.
        let arguments = [
            "-D", directory.appendingPathComponent("data").path, "-p", String(port),
            "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=\(directory.path)",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "max_connections=200",
        ]
        let process = try PeerProcess(
            executable: user?.launcher ?? postgres,
            arguments: (user?.launcherArguments ?? []) + (user == nil ? [] : [postgres.path]) + arguments)
        server.withLock { $0 = process }
        do {
            try await waitUntil(
                "postgres to accept connections on 127.0.0.1:\(port)", timeout: .seconds(60),
                poll: .milliseconds(100)
            ) {
                if let status = process.exitStatus {
                    throw PostgresPeerError.exited(status, process.outputForDiagnosis)
                }
                return try await runTool("pg_isready", ["-h", "127.0.0.1", "-p", String(port), "-t", "1"]).status
                    == .exited(0)
            }
        } catch {
            process.send(signal: SIGKILL)
            throw error
        }
    }

    /// Stops the server by PID with SIGINT (fast shutdown: sessions end, nothing committed is lost).
    package func stopServer() async throws {
        guard let process = server.withLock({ $0 }) else { return }
        process.send(signal: SIGINT)
        let status = try await process.waitForExit(timeout: .seconds(60))
        server.withLock { $0 = nil }
        guard status == .exited(0) else { throw PostgresPeerError.exited(status, process.outputForDiagnosis) }
    }

    /// Creates a database of its own for one test and returns its URL.
    package func createDatabase() async throws -> String {
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let result = try await runTool("createdb", ["-h", "127.0.0.1", "-p", String(port), "-U", "postgres", name])
        guard result.status == .exited(0) else { throw PostgresPeerError.createdbFailed(name, result.output) }
        return url(database: name)
    }

    /// The URL of `database` on this server.
    package func url(database: String) -> String {
        "postgres://postgres@127.0.0.1:\(port)/\(database)"
    }

    /// Runs one of the server's client tools to completion.
    private func runTool(_ name: String, _ arguments: [String]) async throws -> (status: PeerExitStatus, output: String)
    {
        let tool = try PeerProcess(executable: binaries.appendingPathComponent(name), arguments: arguments)
        let status = try await tool.waitForExit(timeout: .seconds(30))
        return (status, tool.outputForDiagnosis)
    }
}

/// The system user the server runs as when the tests run as root.
private struct SystemUser {
    let uid: uid_t
    let gid: gid_t
    /// `setpriv`, which changes user and then execs (so the PID stays the server's).
    let launcher: URL
    var launcherArguments: [String] { ["--reuid=\(uid)", "--regid=\(gid)", "--init-groups", "--"] }

    /// The `postgres` user when running as root; nil otherwise (the server then runs as us).
    static func postgresIfRoot() throws -> SystemUser? {
        guard geteuid() == 0 else { return nil }
        guard let entry = getpwnam("postgres") else { throw PostgresPeerError.noPostgresUser }
        guard let setpriv = Executables.find("setpriv") else { throw MissingExecutableError(name: "setpriv") }
        return SystemUser(uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid, launcher: setpriv)
    }

    /// Gives `directory` to this user, so the server can write its cluster and socket there.
    func own(_ directory: URL) throws {
        guard chown(directory.path, uid, gid) == 0 else {
            throw PostgresPeerError.chownFailed(directory.path, errno)
        }
    }
}

/// The PostgreSQL peer could not be set up.
package enum PostgresPeerError: Error, CustomStringConvertible {
    case initdbFailed(PeerExitStatus, String)
    case exited(PeerExitStatus, String)
    case createdbFailed(String, String)
    case noPostgresUser
    case chownFailed(String, Int32)

    package var description: String {
        switch self {
        case .initdbFailed(let status, let output): "initdb \(status):\n\(output)"
        case .exited(let status, let output): "postgres \(status):\n\(output)"
        case .createdbFailed(let name, let output): "createdb \(name) failed:\n\(output)"
        case .noPostgresUser:
            "running as root, but there is no system user postgres to run the server as (apt-get install postgresql)"
        case .chownFailed(let path, let code): "chown postgres \(path) failed: errno \(code)"
        }
    }
}
