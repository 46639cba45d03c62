import Glibc
import KlaxonMetrics
import KlaxonRuntime

/// Expires push groups and scrape targets that stopped updating, and forgets samples older than
/// the retention, every `interval`; then gives the heap's free pages back to the system, and once a
/// minute unmaps the executable's code pages so only the code still running maps back (`CodePageTrim`).
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

    /// Passes between two releases of the code pages (a minute at the default interval); the first
    /// pass releases what startup ran.
    static let passesPerCodeTrim = 12

    /// Runs until cancelled.
    package func run() async throws {
        var passes = 0
        while !Task.isCancelled {
            do {
                try await sleep(interval)
            } catch {
                return
            }
            expireOnce()
            // glibc keeps what a push freed (its parsed body and batch, about 5 MB for 10 000 series) and
            // the holes left by growing chunk blocks in its arenas; returning the whole free pages every
            // few seconds keeps RSS near what is in use, for a millisecond or two of work.
            HeapTrim.releaseFreePages()
            if passes % Self.passesPerCodeTrim == 0 { CodePageTrim.releaseCodePages() }
            passes &+= 1
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

/// glibc's `malloc_trim`, which Swift's Glibc module does not export (it lives in `malloc.h`), found
/// once by name; absent (another libc), trimming does nothing.
enum HeapTrim {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: Trim.self)
    }()

    /// Returns the heap's whole free pages to the system.
    static func releaseFreePages() {
        _ = trim?(0)
    }
}
