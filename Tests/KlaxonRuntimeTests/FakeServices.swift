import KlaxonRuntime
import Synchronization

/// What fake services did, in order, shared between a test and its services.
final class ServiceJournal: Sendable {
    private let entries = Mutex<[String]>([])

    func record(_ entry: String) {
        entries.withLock { $0.append(entry) }
    }

    var all: [String] { entries.withLock { $0 } }

    func contains(_ entry: String) -> Bool { all.contains(entry) }
}

struct FakeError: Error, Equatable {
    let reason: String
}

/// Runs until cancelled, then returns normally, as a well-behaved service does.
struct UntilCancelledService: Service {
    let name: String
    let journal: ServiceJournal

    func run() async throws {
        journal.record("\(name) started")
        let (stream, _) = AsyncStream.makeStream(of: Never.self)
        // An AsyncStream that never yields ends its iteration when the task is cancelled.
        for await _ in stream {}
        journal.record("\(name) stopped")
    }
}

/// Runs until cancelled and reports the cancellation by throwing `CancellationError`.
struct ThrowsOnCancelService: Service {
    let name: String
    let journal: ServiceJournal

    func run() async throws {
        journal.record("\(name) started")
        let (stream, _) = AsyncStream.makeStream(of: Never.self)
        for await _ in stream {}
        journal.record("\(name) stopped")
        throw CancellationError()
    }
}

/// Fails as soon as it starts.
struct FailingService: Service {
    let name: String
    let error: FakeError

    func run() async throws {
        throw error
    }
}

/// Returns at once, without being asked to stop.
struct ReturningService: Service {
    let name: String

    func run() async throws {}
}

/// Fails once it is asked to stop, as a service whose shutdown goes wrong does.
struct FailsWhileStoppingService: Service {
    let name: String
    let journal: ServiceJournal

    func run() async throws {
        journal.record("\(name) started")
        let (stream, _) = AsyncStream.makeStream(of: Never.self)
        for await _ in stream {}
        throw FakeError(reason: "flush on shutdown failed")
    }
}

/// A latch a test opens; waiting on it ignores task cancellation.
final class Gate: Sendable {
    private let state = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func wait() async {
        await withCheckedContinuation { continuation in
            let resumeNow = state.withLock { state in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// Ignores cancellation and keeps running until its gate opens: a service whose stop hangs.
struct StubbornService: Service {
    let name: String
    let journal: ServiceJournal
    let gate: Gate

    func run() async throws {
        journal.record("\(name) started")
        await gate.wait()
    }
}
