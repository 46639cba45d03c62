import Dispatch

/// How the store writer waits between attempts while the database is unavailable; injected so
/// tests decide when the next attempt happens instead of sleeping.
package protocol StoreRetrySleeper: Sendable {
    /// Blocks the calling thread for `milliseconds`, or less when `interrupt()` is called.
    func sleep(milliseconds: Int64)
    /// Ends the current (or next) `sleep` early; used when the writer stops.
    func interrupt()
}

/// The real sleeper: a semaphore wait with a timeout.
package final class SemaphoreRetrySleeper: StoreRetrySleeper {
    private let semaphore = DispatchSemaphore(value: 0)

    package init() {}

    package func sleep(milliseconds: Int64) {
        let clamped = Int(clamping: max(0, min(milliseconds, 3_600_000)))
        _ = semaphore.wait(timeout: .now() + .milliseconds(clamped))
    }

    package func interrupt() {
        semaphore.signal()
    }
}

/// Exponential backoff between attempts while the database is unavailable.
package struct StoreRetryBackoff: Sendable, Equatable {
    /// The wait after the first failure.
    package var initialMilliseconds: Int64
    /// The longest wait; the writer tries at least this often while the database is down.
    package var maximumMilliseconds: Int64

    package init(initialMilliseconds: Int64 = 100, maximumMilliseconds: Int64 = 5_000) {
        self.initialMilliseconds = max(1, initialMilliseconds)
        self.maximumMilliseconds = max(self.initialMilliseconds, maximumMilliseconds)
    }

    /// The wait after `failures` consecutive failures (1 for the first): doubling, capped.
    package func delay(afterFailures failures: Int) -> Int64 {
        let doublings = min(max(failures - 1, 0), 40)
        let (delay, overflow) = initialMilliseconds.multipliedReportingOverflow(by: Int64(1) << Int64(doublings))
        return overflow ? maximumMilliseconds : min(delay, maximumMilliseconds)
    }
}
