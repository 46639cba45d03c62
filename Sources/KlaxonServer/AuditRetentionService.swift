import Foundation
import KlaxonRouting
import KlaxonRuntime

/// Deletes audit records older than `store.audit_retention` (default 90 days): once at start,
/// then every `interval`. The store call blocks, so it runs on a thread of its own.
package struct AuditRetentionService: Service {
    /// Sleeps for a duration; throws when the task is cancelled.
    package typealias Sleep = @Sendable (Duration) async throws -> Void

    package let name = "retention"
    private let store: any AlertStore
    private let retentionMilliseconds: Int64
    private let clock: any WallClock
    private let interval: Duration
    private let logger: Logger
    private let sleep: Sleep

    package init(
        store: any AlertStore, retentionMilliseconds: Int64, clock: any WallClock, interval: Duration = .seconds(3_600),
        logger: Logger, sleep: @escaping Sleep = { try await Task.sleep(for: $0) }
    ) {
        self.store = store
        self.retentionMilliseconds = retentionMilliseconds
        self.clock = clock
        self.interval = interval
        self.logger = logger
        self.sleep = sleep
    }

    /// Runs until cancelled.
    package func run() async throws {
        while !Task.isCancelled {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let thread = Thread { [self] in
                    pruneOnce()
                    continuation.resume()
                }
                thread.name = "klaxon-retention"
                thread.start()
            }
            do {
                try await sleep(interval)
            } catch {
                return
            }
        }
    }

    /// One pass; returns how many audit records went (0 when the store failed; logged).
    @discardableResult
    package func pruneOnce() -> Int {
        let cutoff = clock.nowMilliseconds().subtractingReportingOverflow(retentionMilliseconds).partialValue
        do {
            let removed = try store.pruneAudit(olderThan: cutoff)
            if removed > 0 { logger.info("audit records pruned", ["audit.removed": String(removed)]) }
            return removed
        } catch {
            logger.warning("audit pruning failed; will try again", ["error": error.message])
            return 0
        }
    }
}
