import Dispatch
import Foundation
import KlaxonRouting
import KlaxonRuntime
import Synchronization

/// Applies routing's store writes on a thread of its own, so routing never waits for the database.
///
/// `submit` only appends to a bounded spool and returns. The writer thread applies the oldest
/// batches in order, several per transaction. While the database is unavailable the batches stay
/// spooled and the thread retries with exponential backoff (`StoreRetryBackoff`, through an
/// injected `StoreRetrySleeper`), so the audit catches up when the database returns. When the
/// database refuses a transaction for good (not a transient error), its batches are retried one
/// at a time, and a batch refused alone is applied write by write: only the refused writes are
/// dropped, each counted and logged. A full spool refuses new batches, counted and logged.
package final class StoreWriter: Service {
    package let name = "store"
    private let store: any AlertStore
    private let logger: Logger
    private let backoff: StoreRetryBackoff
    private let sleeper: any StoreRetrySleeper
    private let maximumWritesPerTransaction: Int
    private let state: Mutex<State>
    private let wake = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)
    /// Signalled whenever batches leave the spool, for `submitAndWait`.
    private let progress = NSCondition()

    private struct State {
        var spool: StoreWriterSpool
        var stats = StoreWriterStats()
        var started = false
        var stopping = false
        var finished = false
        /// True from the first refused batch until the spool has room again (one warning per episode).
        var overflowing = false
        var overflowedThisEpisode = 0
        /// Batches accepted since start; a batch's sequence number is the count after it.
        var accepted = 0
        /// Batches that left the spool (applied, or refused for good) since start.
        var done = 0
    }

    /// A writer for `store`; `capacity` bounds the writes spooled (memory), `maximumWritesPerTransaction`
    /// how many spooled writes one transaction takes.
    package init(
        store: any AlertStore, logger: Logger, capacity: Int = 100_000, maximumWritesPerTransaction: Int = 1_000,
        backoff: StoreRetryBackoff = StoreRetryBackoff(), sleeper: any StoreRetrySleeper = SemaphoreRetrySleeper()
    ) {
        self.store = store
        self.logger = logger
        self.backoff = backoff
        self.sleeper = sleeper
        self.maximumWritesPerTransaction = max(1, maximumWritesPerTransaction)
        self.state = Mutex(State(spool: StoreWriterSpool(capacity: capacity)))
    }

    // MARK: - Routing's side

    /// Queues `writes` (one batch, applied in one transaction with its order kept) and returns at
    /// once. False when the spool is full or the writer stopped: the batch is counted in
    /// `overflowedWrites` and logged, never silently lost.
    @discardableResult
    package func submit(_ writes: [StoreWrite]) -> Bool {
        enqueue(writes) != nil
    }

    /// Queues `writes` like `submit`, then waits until the database holds them, at most `timeout`.
    /// True when they are durable; false at once while the database is unavailable (the batch
    /// stays spooled and is written when it returns), and false after the timeout.
    ///
    /// Routing calls this before handing notifications to delivery, so a receiver never hears of
    /// something the outbox could forget, yet an outage delays no page.
    package func submitAndWait(_ writes: [StoreWrite], timeout: Duration) -> Bool {
        guard !writes.isEmpty else { return true }
        guard let sequence = enqueue(writes) else { return false }
        let deadline = Date(
            timeIntervalSinceNow: Double(timeout.components.seconds) + 1e-18 * Double(timeout.components.attoseconds))
        progress.lock()
        defer { progress.unlock() }
        while true {
            let (done, unavailable) = state.withLock { ($0.done >= sequence, $0.stats.lastError?.kind == .unavailable) }
            if done { return true }
            if unavailable || !progress.wait(until: deadline) { return state.withLock { $0.done >= sequence } }
        }
    }

    /// Appends a batch to the spool; its sequence number, or nil when refused (counted and logged).
    private func enqueue(_ writes: [StoreWrite]) -> Int? {
        guard !writes.isEmpty else { return 0 }
        let (accepted, firstOverflow, stopped, capacity) = state.withLock { state -> (Int?, Bool, Bool, Int) in
            if state.stopping || state.finished {
                state.stats.overflowedWrites += writes.count
                return (nil, false, true, state.spool.capacity)
            }
            if state.spool.append(writes) {
                state.stats.spooledWrites = state.spool.writes
                state.stats.spooledBatches = state.spool.batchCount
                state.accepted += 1
                return (state.accepted, false, false, state.spool.capacity)
            }
            state.stats.overflowedWrites += writes.count
            state.overflowedThisEpisode += writes.count
            let first = !state.overflowing
            state.overflowing = true
            return (nil, first, false, state.spool.capacity)
        }
        if accepted != nil {
            wake.signal()
        } else if stopped {
            logger.error("store writer stopped; writes refused", ["store.writes": String(writes.count)])
        } else if firstOverflow {
            logger.warning(
                "store spool full; writes dropped until the database catches up",
                ["store.spool_capacity": String(capacity), "store.writes": String(writes.count)])
        }
        return accepted
    }

    /// A snapshot of the writer's counters.
    package var stats: StoreWriterStats {
        state.withLock { $0.stats }
    }

    // MARK: - Lifecycle

    /// Starts the writer thread (once).
    package func start() {
        let first = state.withLock { state in
            defer { state.started = true }
            return !state.started
        }
        guard first else { return }
        let thread = Thread { [self] in
            writeLoop()
            exited.signal()
        }
        thread.name = "klaxon-store-writer"
        thread.start()
    }

    /// Stops taking batches, makes one last attempt to write what is spooled, and returns when the
    /// thread has ended. Blocks: call it from a thread of its own (as `run()` does).
    package func stop() {
        let wasRunning = state.withLock { state in
            let running = state.started && !state.stopping
            state.stopping = true
            return running
        }
        sleeper.interrupt()
        wake.signal()
        if wasRunning { exited.wait() }
    }

    /// Runs until the task is cancelled, then stops (see `stop()`).
    package func run() async throws {
        start()
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3_600))
        }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                self.stop()
                continuation.resume()
            }
        }
    }

    // MARK: - The writer thread

    private func writeLoop() {
        var failures = 0
        while true {
            let (next, stopping) = state.withLock { state in
                (state.spool.front(maximumWrites: maximumWritesPerTransaction), state.stopping)
            }
            if next.batches == 0 {
                if stopping { break }
                wake.wait()
                continue
            }
            if write(next.writes, batches: next.batches) {
                failures = 0
                continue
            }
            failures += 1
            if stopping { break }
            sleeper.sleep(milliseconds: backoff.delay(afterFailures: failures))
        }
        let unsaved = state.withLock { state in
            state.finished = true
            return state.spool.writes
        }
        if unsaved > 0 {
            logger.error(
                "store writer stopped with writes the database did not take",
                ["store.unsaved_writes": String(unsaved), "error": stats.lastError?.message ?? ""])
        }
    }

    /// Applies `writes` (the `batches` oldest batches); true when they left the spool, false when
    /// the database is unavailable and they stay for the next attempt.
    private func write(_ writes: [StoreWrite], batches: Int) -> Bool {
        switch timedApply(writes) {
        case .success:
            finish(batches: batches, applied: writes.count)
            return true
        case .failure(let error) where error.kind == .unavailable:
            logger.warning(
                "store unavailable; writes stay spooled",
                ["error": error.message, "store.writes": String(writes.count)])
            return false
        case .failure(let error):
            logger.error(
                "store refused a transaction; retrying its batches one at a time",
                ["error": error.message, "store.writes": String(writes.count)])
            return isolate(batches: batches)
        }
    }

    /// Applies the `batches` oldest batches one at a time; a batch the database refuses for good is
    /// applied write by write, dropping only what it refuses. False (keeping the rest spooled) as
    /// soon as the database becomes unavailable.
    private func isolate(batches: Int) -> Bool {
        for _ in 0..<batches {
            let (batch, _) = state.withLock { $0.spool.front(maximumWrites: 1) }
            switch timedApply(batch) {
            case .success:
                finish(batches: 1, applied: batch.count)
                continue
            case .failure(let error) where error.kind == .unavailable:
                return false
            case .failure:
                break
            }
            var applied = 0
            var rejected = 0
            for write in batch {
                switch timedApply([write]) {
                case .success:
                    applied += 1
                case .failure(let error) where error.kind == .unavailable:
                    // The writes before this one are in (or dropped as refused): only the rest of
                    // the batch stays spooled, so nothing is applied twice.
                    let done = applied + rejected
                    state.withLock { state in
                        state.spool.replaceFront(with: Array(batch.dropFirst(done)))
                        state.stats.appliedWrites += applied
                        state.stats.spooledWrites = state.spool.writes
                        state.stats.spooledBatches = state.spool.batchCount
                    }
                    logger.warning("store unavailable; writes stay spooled", ["error": error.message])
                    return false
                case .failure(let error):
                    rejected += 1
                    state.withLock { $0.stats.rejectedWrites += 1 }
                    logger.error(
                        "store refused a write; it is dropped",
                        ["error": error.message, "store.write": Self.describe(write)])
                }
            }
            finish(batches: 1, applied: applied)
        }
        return true
    }

    private func timedApply(_ writes: [StoreWrite]) -> Result<Void, StoreError> {
        let clock = ContinuousClock()
        let start = clock.now
        let result: Result<Void, StoreError>
        do {
            try store.apply(writes)
            result = .success(())
        } catch {
            result = .failure(error)
        }
        let elapsed = start.duration(to: clock.now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        state.withLock { state in
            switch result {
            case .success:
                state.stats.transactions += 1
                state.stats.writeSecondsTotal += seconds
                state.stats.lastWriteSeconds = seconds
                state.stats.lastError = nil
            case .failure(let error):
                state.stats.errors += 1
                state.stats.lastError = error
            }
        }
        if case .failure = result {
            // Waiters give up waiting while the database is away.
            progress.lock()
            progress.broadcast()
            progress.unlock()
        }
        return result
    }

    /// Removes `batches` applied batches from the spool and ends an overflow episode once there
    /// is room for new batches again.
    private func finish(batches: Int, applied: Int) {
        let episodeEnded: Int? = state.withLock { state in
            state.spool.removeFront(batches)
            state.done += batches
            state.stats.appliedWrites += applied
            state.stats.spooledWrites = state.spool.writes
            state.stats.spooledBatches = state.spool.batchCount
            guard state.overflowing, state.spool.writes <= state.spool.capacity / 2 else { return nil }
            state.overflowing = false
            defer { state.overflowedThisEpisode = 0 }
            return state.overflowedThisEpisode
        }
        progress.lock()
        progress.broadcast()
        progress.unlock()
        if let dropped = episodeEnded {
            logger.warning("store spool has room again", ["store.dropped_writes": String(dropped)])
        }
    }

    /// A write named for a log line: its kind and key, never its payload.
    private static func describe(_ write: StoreWrite) -> String {
        switch write {
        case .audit(let record): "audit \(record.kind.rawValue) \(record.alertName)"
        case .activeAlerts(let group, let alerts): "active alerts of \(group) (\(alerts.count))"
        case .silence(let silence): "silence \(silence.id)"
        case .ack(let ack): "ack \(ack.fingerprint)"
        case .removeAck(let fingerprint): "remove ack \(fingerprint)"
        case .enqueue(let entry): "enqueue \(entry.key)"
        case .updateOutbox(let entry): "update outbox \(entry.key)"
        case .routingState(let key, _): "routing state \(key)"
        }
    }
}
