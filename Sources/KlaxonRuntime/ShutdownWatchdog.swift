import Dispatch
import Synchronization

/// Notices a graceful shutdown that does not finish, and says which services hold it up.
///
/// Fires once: when `timeout` has passed since the shutdown began, or at once when a second stop
/// request arrives while stopping (the operator pressing Ctrl-C again). Firing logs the services
/// still running and calls `onStuck`, which the `klaxon` binary uses to exit with status 1.
final class ShutdownWatchdog: Sendable {
    private struct State {
        var running: [String]
        var stopping = false
        var armed = false
        var finished = false
        var fired = false
    }

    private let state: Mutex<State>
    private let timeout: Duration?
    private let logger: Logger
    private let onStuck: @Sendable ([String]) -> Void

    init(services: [String], timeout: Duration?, logger: Logger, onStuck: @escaping @Sendable ([String]) -> Void) {
        state = Mutex(State(running: services))
        self.timeout = timeout
        self.logger = logger
        self.onStuck = onStuck
    }

    /// Records a stop request; returns false when the group was already stopping, so the caller
    /// escalates instead of asking again.
    func requestShutdown(reason: String) -> Bool {
        let first = state.withLock { state in
            defer { state.stopping = true }
            return !state.stopping
        }
        if !first {
            fire(reason: "stop requested again while stopping (\(reason))")
        }
        return first
    }

    /// The group has begun stopping, for whatever reason: start the clock.
    func shutdownStarted() {
        let arm = state.withLock { state in
            defer {
                state.stopping = true
                state.armed = true
            }
            return !state.armed
        }
        guard arm, let timeout else { return }
        let (seconds, attoseconds) = timeout.components
        let nanoseconds = Int(clamping: seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(nanoseconds)) { [self] in
            fire(reason: "services did not stop within \(timeout)")
        }
    }

    /// A service's `run()` returned.
    func serviceStopped(_ name: String) {
        state.withLock { state in
            if let index = state.running.firstIndex(of: name) {
                state.running.remove(at: index)
            }
        }
    }

    /// The group's `run()` is returning; nothing can be stuck any more.
    func finish() {
        state.withLock { $0.finished = true }
    }

    private func fire(reason: String) {
        let stuck: [String]? = state.withLock { state in
            guard !state.finished, !state.fired else { return nil }
            state.fired = true
            return state.running
        }
        guard let stuck else { return }
        logger.error(
            "graceful shutdown is not finishing",
            ["reason": reason, "services.running": stuck.joined(separator: ",")]
        )
        onStuck(stuck)
    }
}
