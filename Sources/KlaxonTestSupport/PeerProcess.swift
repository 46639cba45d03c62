import Foundation
import Synchronization

/// How a peer process ended.
package enum PeerExitStatus: Equatable, Sendable, CustomStringConvertible {
    /// The process called `exit(code)`.
    case exited(Int32)
    /// A signal killed the process.
    case signalled(Int32)

    package var description: String {
        switch self {
        case .exited(let code): "exited with status \(code)"
        case .signalled(let signal): "killed by signal \(signal)"
        }
    }
}

/// A child process a test launched: a built `klaxon`, `prometheus`, `promtool`, `python3`…
///
/// Output goes to files (never to pipes a test could forget to drain) that tests read while the
/// process runs. A peer still running when the object is released is killed, so a failed test
/// does not leave processes behind.
package final class PeerProcess: @unchecked Sendable {
    // Safe to share: `process` is configured and launched in `init`, then only retained; every
    // later read of its state goes through `exit`, which the termination handler fills in.
    private let process: Process
    private let exit: ExitRecord

    /// The program that was launched.
    package let executable: URL
    /// The arguments it was given.
    package let arguments: [String]
    /// The process id, for signalling.
    package let pid: Int32
    /// A directory of this peer's own, holding its output files; peers may keep data there too.
    package let directory: URL
    /// Where standard output goes.
    package let standardOutputURL: URL
    /// Where standard error goes.
    package let standardErrorURL: URL

    /// Launches `executable` with `arguments`; `environment` entries are added to (or override)
    /// this process's environment; `standardInput` is fed to the process when given.
    package init(
        executable: URL,
        arguments: [String],
        environment: [String: String] = [:],
        standardInput: [UInt8]? = nil,
        workingDirectory: URL? = nil
    ) throws {
        let directory = try PeerDirectories.make(for: executable.lastPathComponent)
        let outputURL = directory.appendingPathComponent("stdout.log")
        let errorURL = directory.appendingPathComponent("stderr.log")
        try Data().write(to: outputURL)
        try Data().write(to: errorURL)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.currentDirectoryURL = workingDirectory ?? directory
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        if let standardInput {
            let inputURL = directory.appendingPathComponent("stdin")
            try Data(standardInput).write(to: inputURL)
            process.standardInput = try FileHandle(forReadingFrom: inputURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let exit = ExitRecord()
        process.terminationHandler = { finished in
            let status: PeerExitStatus =
                finished.terminationReason == .uncaughtSignal
                ? .signalled(finished.terminationStatus)
                : .exited(finished.terminationStatus)
            exit.status.withLock { $0 = status }
        }
        try Self.launchWithCleanSignalMask(process)

        self.process = process
        self.exit = exit
        self.executable = executable
        self.arguments = arguments
        self.pid = process.processIdentifier
        self.directory = directory
        self.standardOutputURL = outputURL
        self.standardErrorURL = errorURL
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
        }
        PeerDirectories.remove(directory)
    }

    // MARK: - Observing

    /// How the process ended, or nil while it runs.
    package var exitStatus: PeerExitStatus? {
        exit.status.withLock { $0 }
    }

    /// Everything the process wrote to standard output so far.
    package var standardOutput: String {
        (try? String(contentsOf: standardOutputURL, encoding: .utf8)) ?? ""
    }

    /// Everything the process wrote to standard error so far.
    package var standardError: String {
        (try? String(contentsOf: standardErrorURL, encoding: .utf8)) ?? ""
    }

    // MARK: - Stopping

    /// Sends `signal` to the process; does nothing once it has exited.
    package func send(signal: Int32) {
        guard exitStatus == nil else { return }
        kill(pid, signal)
    }

    /// Waits for the process to exit and returns how; throws `WaitTimeoutError` after `timeout`.
    @discardableResult
    package func waitForExit(timeout: Duration = .seconds(10)) async throws -> PeerExitStatus {
        try await waitFor("\(executable.lastPathComponent) (pid \(pid)) to exit", timeout: timeout) { exitStatus }
    }

    /// Stops the process: `SIGTERM`, then `SIGKILL` if it is still running after `gracePeriod`.
    @discardableResult
    package func stop(gracePeriod: Duration = .seconds(5)) async throws -> PeerExitStatus {
        send(signal: SIGTERM)
        if let status = try? await waitForExit(timeout: gracePeriod) {
            return status
        }
        send(signal: SIGKILL)
        return try await waitForExit(timeout: .seconds(10))
    }

    // MARK: - Launching

    /// Launches `process` from a fresh thread whose signal mask is empty.
    ///
    /// A child inherits the signal mask of the thread that spawns it, and the threads async code
    /// runs on block signals (libdispatch blocks them in its workers). Spawned from there, a peer
    /// would start with SIGTERM blocked and never stop on `stop()`.
    private static func launchWithCleanSignalMask(_ process: Process) throws {
        let launch = Launch(process)
        let thread = Thread {
            var empty = sigset_t()
            sigemptyset(&empty)
            pthread_sigmask(SIG_SETMASK, &empty, nil)
            launch.run()
        }
        thread.start()
        launch.done.wait()
        if let error = launch.error {
            throw error
        }
    }

    /// Both output files, labelled, for a failing test's message.
    package var outputForDiagnosis: String {
        "--- \(executable.lastPathComponent) stdout ---\n\(standardOutput)\n--- stderr ---\n\(standardError)"
    }
}

/// Where peers keep their files, and when those files are cleaned up.
package enum PeerDirectories {
    /// Whether peer directories are kept after a test for inspection (`KLAXON_KEEP_PEER_FILES=1`).
    package static var keep: Bool {
        ProcessInfo.processInfo.environment["KLAXON_KEEP_PEER_FILES"] == "1"
    }

    /// A new, empty directory for one peer, under the temporary directory's `klaxon-peers`.
    package static func make(for name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("klaxon-peers", isDirectory: true)
            .appendingPathComponent("\(name)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Deletes a peer's directory unless `keep` says otherwise.
    package static func remove(_ directory: URL) {
        guard !keep else { return }
        try? FileManager.default.removeItem(at: directory)
    }
}

/// The exit status, shared between the peer and its termination handler.
private final class ExitRecord: Sendable {
    let status = Mutex<PeerExitStatus?>(nil)
}

/// Hands a `Process` to the launching thread and its outcome back.
private final class Launch: @unchecked Sendable {
    // Safe to share: the launching thread writes `error` before signalling `done`; the caller
    // reads it only after `done.wait()` returns, and touches `process` only after that too.
    let process: Process
    let done = DispatchSemaphore(value: 0)
    var error: (any Error)?

    init(_ process: Process) {
        self.process = process
    }

    func run() {
        do {
            try process.run()
        } catch {
            self.error = error
        }
        done.signal()
    }
}
