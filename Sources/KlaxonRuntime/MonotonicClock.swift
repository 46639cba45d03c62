import Foundation

/// Milliseconds on a clock that never jumps, for deadlines; injected so tests can move or hold it.
///
/// Only differences between two readings mean anything: the origin is arbitrary.
package protocol MonotonicClock: Sendable {
    /// Milliseconds since an arbitrary, fixed origin.
    func monotonicMilliseconds() -> Int64
}

/// The system's `CLOCK_MONOTONIC`.
package struct SystemMonotonicClock: MonotonicClock {
    package init() {}

    package func monotonicMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) &* 1000 &+ Int64(spec.tv_nsec) / 1_000_000
    }
}
