import KlaxonRuntime
import Synchronization

/// A wall clock that moves only when a test moves it, so time-dependent code runs without sleeping.
package final class ManualWallClock: WallClock {
    private let now: Mutex<Int64>

    /// A clock reading `milliseconds` (Unix time) until advanced; 2026-01-01T00:00:00Z by default.
    package init(milliseconds: Int64 = 1_767_225_600_000) {
        now = Mutex(milliseconds)
    }

    package func nowMilliseconds() -> Int64 {
        now.withLock { $0 }
    }

    /// Moves the clock forward by `milliseconds` (backward when negative, to test clock steps).
    package func advance(by milliseconds: Int64) {
        now.withLock { $0 += milliseconds }
    }

    /// Moves the clock forward by a `Duration`, truncated to whole milliseconds.
    package func advance(by duration: Duration) {
        let (seconds, attoseconds) = duration.components
        advance(by: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }

    /// Sets the clock to `milliseconds` since the Unix epoch.
    package func set(milliseconds: Int64) {
        now.withLock { $0 = milliseconds }
    }
}

extension ManualWallClock: MonotonicClock {
    /// The same reading as `nowMilliseconds()`: a test moves both kinds of time with one clock.
    package func monotonicMilliseconds() -> Int64 { nowMilliseconds() }
}
