import Dispatch
import Foundation

/// A POSIX signal the process reacts to, named the way operators type it (`SIGTERM`).
package struct UnixSignal: Hashable, Sendable, CustomStringConvertible {
    /// The signal number, as `kill(2)` takes it.
    package let rawValue: Int32

    package init(_ rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// `SIGTERM`: the supervisor (systemd, Docker, Kubernetes) asks for a graceful stop.
    package static let terminate = UnixSignal(SIGTERM)
    /// `SIGINT`: Ctrl-C at a terminal; treated like `SIGTERM`.
    package static let interrupt = UnixSignal(SIGINT)
    /// `SIGHUP`: reload configuration and rules without restarting.
    package static let hangup = UnixSignal(SIGHUP)

    /// The conventional name, e.g. `SIGTERM`; `signal N` for numbers without one here.
    package var description: String {
        switch rawValue {
        case SIGTERM: "SIGTERM"
        case SIGINT: "SIGINT"
        case SIGHUP: "SIGHUP"
        case SIGQUIT: "SIGQUIT"
        case SIGUSR1: "SIGUSR1"
        case SIGUSR2: "SIGUSR2"
        case SIGPIPE: "SIGPIPE"
        case SIGKILL: "SIGKILL"
        default: "signal \(rawValue)"
        }
    }
}

// MARK: - Process-wide dispositions

/// Process-wide signal settings every Klaxon process needs before it opens a socket.
package enum ProcessSignals {
    /// Ignores `SIGPIPE`, so writing to a socket the peer closed fails with `EPIPE` instead of
    /// killing the whole process.
    package static func ignoreBrokenPipe() {
        signal(SIGPIPE, SIG_IGN)
    }
}

// MARK: - Watching signals

/// Delivers chosen signals to a handler through Dispatch signal sources, until cancelled.
///
/// The default action of each watched signal is replaced by "ignore" first: Dispatch then sees the
/// signal, and one that arrives between `cancel()` and process exit can no longer kill the process.
/// Use `kill(getpid(), …)` rather than `raise(…)` to signal yourself: `raise` targets one thread,
/// and a thread that does not block the signal drops it because it is ignored.
package final class UnixSignalWatcher: @unchecked Sendable {
    // Safe to share: `sources` is written only in `init`; afterwards the only call made on the
    // sources is `cancel()`, which libdispatch allows from any thread.
    private let sources: [any DispatchSourceSignal]

    /// Starts watching `signals`; `handler` runs on a private serial queue, once per delivery.
    package init(signals: [UnixSignal], handler: @escaping @Sendable (UnixSignal) -> Void) {
        let queue = DispatchQueue(label: "klaxon.signals")
        sources = Set(signals).map { unixSignal in
            signal(unixSignal.rawValue, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: unixSignal.rawValue, queue: queue)
            source.setEventHandler { handler(unixSignal) }
            source.resume()
            return source
        }
    }

    /// Stops delivering signals. The signals stay ignored (see the type's documentation).
    package func cancel() {
        for source in sources {
            source.cancel()
        }
    }

    deinit {
        cancel()
    }
}
