import KlaxonMetrics
import KlaxonRuntime

/// Expires push groups and scrape targets that stopped updating, and forgets samples older than
/// the retention, every `interval`.
package struct StaleExpiryService: Service {
    /// Sleeps for a duration; throws when the task is cancelled.
    package typealias Sleep = @Sendable (Duration) async throws -> Void

    package let name = "expiry"
    private let store: SeriesStore
    private let clock: any WallClock
    private let interval: Duration
    private let logger: Logger
    private let sleep: Sleep

    package init(
        store: SeriesStore, clock: any WallClock, interval: Duration = .seconds(5), logger: Logger,
        sleep: @escaping Sleep = { try await Task.sleep(for: $0) }
    ) {
        self.store = store
        self.clock = clock
        self.interval = interval
        self.logger = logger
        self.sleep = sleep
    }

    /// Runs until cancelled.
    package func run() async throws {
        while !Task.isCancelled {
            do {
                try await sleep(interval)
            } catch {
                return
            }
            expireOnce()
        }
    }

    /// One pass; returns the owners expired.
    @discardableResult
    package func expireOnce() -> [SeriesOwner] {
        let expired = store.expireStale(now: clock.nowMilliseconds())
        for owner in expired {
            logger.info("series owner expired: no update within its stale_after", ["owner": owner.description])
        }
        return expired
    }
}
