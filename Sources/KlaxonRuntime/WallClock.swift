import Foundation

/// A source of wall-clock time in Unix milliseconds, injected so tests can drive time by hand.
///
/// Prometheus timestamps are Unix milliseconds; every module speaks that unit.
package protocol WallClock: Sendable {
    /// The current time in milliseconds since the Unix epoch.
    func nowMilliseconds() -> Int64
}

/// The real clock, read from the system.
package struct SystemWallClock: WallClock {
    package init() {}

    package func nowMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
