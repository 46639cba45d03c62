import Foundation
import KlaxonNotifiers
import KlaxonRouting
import KlaxonRuntime
import KlaxonStore
import Synchronization

/// Sends what routing queued. Entries arrive from the routing engine once durable (and, at
/// start, from the outbox a previous run left); each is sent to its receiver, retried with
/// backoff, handed to fallbacks when it gives up, and every attempt is recorded through the
/// store writer. It keeps the schedule in memory, so delivery goes on while the database is away.
///
/// The loop runs on a thread of its own; sends are async and run concurrently, so a hanging
/// receiver delays no other. P3 notifications for an email receiver with `digest_at` wait for
/// the digest time and go out as one message (`EmailDigest`); each keeps its own outbox entry.
package final class DeliveryService: Service {
    package let name = "delivery"

    private struct Completion {
        var entry: OutboxEntry
        var result: DeliveryResult
        var at: Int64
        /// The jitter draw, shared by a digest's members so their retries stay together.
        var random: Double
    }

    private struct State {
        var waiting: [String: OutboxEntry] = [:]
        var inFlight: Set<String> = []
        var completions: [Completion] = []
        var stopping = false
        var health: ReceiverHealth
        var statuses: [String: ReceiverStatus]
    }

    private let state: Mutex<State>
    private let wakeup = NSCondition()
    private let deliverer: OutboxDeliverer
    private let notifiers: [String: any Notifier]
    private let digest: EmailDigest
    private let store: any AlertStore
    private let writer: StoreWriter
    /// True when several Klaxons may share the database: each entry is claimed before it is sent.
    private let claims: Bool
    private let clock: any WallClock
    private let logger: Logger
    private let metrics: DeliveryMetrics?
    private let onHealth: @Sendable ([ReceiverHealth.Transition]) -> Void
    private let finished = DispatchGroup()

    /// `onHealth` hears when a receiver starts or stops failing (the server raises
    /// `KlaxonNotifierFailing` from it).
    package init(
        receivers: ConfiguredReceivers, kinds: [String: String], store: any AlertStore, writer: StoreWriter,
        claims: Bool, clock: any WallClock, logger: Logger, metrics: DeliveryMetrics? = nil,
        onHealth: @escaping @Sendable ([ReceiverHealth.Transition]) -> Void
    ) {
        deliverer = OutboxDeliverer(
            store: store, notifiers: receivers.notifiers, fallbacks: receivers.fallbacks,
            policies: receivers.policies, clock: clock)
        notifiers = Dictionary(receivers.notifiers.map { ($0.receiver, $0) }, uniquingKeysWith: { first, _ in first })
        digest = receivers.digest
        var statuses: [String: ReceiverStatus] = [:]
        for notifier in receivers.notifiers {
            statuses[notifier.receiver] = ReceiverStatus(
                name: notifier.receiver, kind: kinds[notifier.receiver] ?? "log")
        }
        state = Mutex(State(health: receivers.health, statuses: statuses))
        self.store = store
        self.writer = writer
        self.claims = claims
        self.clock = clock
        self.logger = logger
        self.metrics = metrics
        self.onHealth = onHealth
    }

    // MARK: - Input

    /// Schedules outbox entries (from the routing engine, after they were persisted).
    package func enqueue(_ entries: [OutboxEntry]) {
        guard !entries.isEmpty else { return }
        state.withLock { state in
            for entry in entries where entry.state == .pending && !state.inFlight.contains(entry.key) {
                state.waiting[entry.key] = digest.scheduled(entry)
            }
        }
        signal()
    }

    /// Each receiver's last success, last error, failing flag and waiting entries.
    package var receiverStatuses: [ReceiverStatus] {
        state.withLock { state in
            var depth: [String: Int] = [:]
            for entry in state.waiting.values { depth[entry.receiver, default: 0] += 1 }
            return state.statuses.values.map { status in
                var status = status
                status.outboxDepth = depth[status.name] ?? 0
                return status
            }.sorted { $0.name < $1.name }
        }
    }

    /// Entries waiting for delivery or a retry, and the creation time of the oldest.
    package var backlog: (count: Int, oldestCreatedAt: Int64?) {
        state.withLock { state in
            (state.waiting.count + state.inFlight.count, state.waiting.values.map(\.notification.createdAt).min())
        }
    }

    // MARK: - Running

    /// Loads what the previous run left in the outbox, then delivers until cancelled; in-flight
    /// sends finish first (each within its receiver's timeout). Pending entries stay in the
    /// outbox for the next start.
    package func run() async throws {
        do {
            let left = try store.dueOutbox(now: Int64.max, limit: 100_000)
            if !left.isEmpty {
                logger.info("outbox entries resumed from the previous run", ["outbox.entries": String(left.count)])
            }
            enqueue(left)
        } catch {
            logger.error("outbox could not be read; entries left by the previous run wait", ["error": error.message])
        }
        finished.enter()
        let thread = Thread { [self] in
            loop()
            finished.leave()
        }
        thread.name = "klaxon-delivery"
        thread.start()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                finished.notify(queue: .global()) { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.stopping = true }
            signal()
        }
    }

    private func loop() {
        while true {
            let now = clock.nowMilliseconds()
            record(takeCompletions(), now: now)
            let transitions = state.withLock { $0.health.check(at: now) }
            if !transitions.isEmpty { report(transitions) }
            let (due, stopping, idle, next) = state.withLock { state in
                let due = state.stopping ? [] : state.waiting.values.filter { $0.nextAttemptAt <= now }
                for entry in due {
                    state.waiting[entry.key] = nil
                    state.inFlight.insert(entry.key)
                }
                let next = state.waiting.values.map(\.nextAttemptAt).min()
                return (due, state.stopping, state.inFlight.isEmpty && state.completions.isEmpty, next)
            }
            if stopping && idle { return }
            for batch in digest.batches(due.sorted(by: { $0.nextAttemptAt < $1.nextAttemptAt })) {
                start(batch, now: now)
            }
            if !due.isEmpty { continue }
            wakeup.lock()
            let quiet = state.withLock {
                $0.completions.isEmpty && ($0.stopping || !$0.waiting.values.contains { $0.nextAttemptAt <= now })
            }
            if quiet {
                let wait = next.map { Double(max(0, $0 - clock.nowMilliseconds())) / 1000 } ?? 1
                _ = wakeup.wait(until: Date(timeIntervalSinceNow: min(wait, 1)))
            }
            wakeup.unlock()
        }
    }

    /// Claims the entries when the database is shared, then sends them (one entry, or a digest's
    /// members as one message) on a task of its own; each entry gets the outcome.
    private func start(_ batch: [OutboxEntry], now: Int64) {
        let entries = claims ? batch.filter { claim($0, now: now) } : batch
        guard let first = entries.first, let notification = EmailDigest.notification(for: entries, at: now) else {
            return
        }
        let notifier = notifiers[first.receiver]
        let attempt = entries.map(\.attempts).max() ?? 0
        Task { [self, clock] in
            let result: DeliveryResult
            if let notifier {
                result = await notifier.send(notification, attempt: attempt &+ 1)
            } else {
                result = .failed(
                    DeliveryError(.configuration, "no receiver named \(first.receiver) is configured"), retryAfter: nil)
            }
            let at = clock.nowMilliseconds()
            let random = Double.random(in: 0..<1)
            state.withLock { state in
                for entry in entries {
                    state.completions.append(Completion(entry: entry, result: result, at: at, random: random))
                }
            }
            signal()
        }
    }

    /// Claims `entry` in the shared database; false (and recorded) when another Klaxon holds it.
    private func claim(_ entry: OutboxEntry, now: Int64) -> Bool {
        do {
            if try !store.claimDelivery(key: entry.key, now: now) {
                var elsewhere = entry
                elsewhere.state = .claimedElsewhere
                elsewhere.updatedAt = now
                writer.submit([.updateOutbox(elsewhere)])
                state.withLock { _ = $0.inFlight.remove(entry.key) }
                return false
            }
        } catch {
            // Without the database no other Klaxon can be asked: better twice than never.
            logger.warning(
                "delivery claim failed; sending unclaimed", ["error": error.message, "receiver": entry.receiver])
        }
        return true
    }

    private func takeCompletions() -> [Completion] {
        state.withLock { state in
            defer { state.completions.removeAll() }
            return state.completions
        }
    }

    /// Records finished attempts: outbox and audit writes, retries and fallbacks rescheduled,
    /// receiver health and status.
    private func record(_ completions: [Completion], now: Int64) {
        guard !completions.isEmpty else { return }
        var transitions: [ReceiverHealth.Transition] = []
        var writes: [StoreWrite] = []
        var rescheduled: [OutboxEntry] = []
        for completion in completions {
            let entryWrites = deliverer.writes(
                for: completion.entry, result: completion.result, at: completion.at, random: completion.random)
            writes += entryWrites
            for write in entryWrites {
                switch write {
                case .updateOutbox(let entry) where entry.state == .pending: rescheduled.append(entry)
                case .enqueue(let entry): rescheduled.append(digest.scheduled(entry))
                default: break
                }
            }
            metrics?.observe(completion.entry, result: completion.result, at: completion.at)
        }
        writer.submit(writes)
        state.withLock { state in
            for completion in completions {
                let receiver = completion.entry.receiver
                state.inFlight.remove(completion.entry.key)
                var status = state.statuses[receiver] ?? ReceiverStatus(name: receiver, kind: "unknown")
                switch completion.result {
                case .delivered:
                    status.lastSuccessAt = completion.at
                    if let change = state.health.recordSuccess(receiver: receiver, at: completion.at) {
                        transitions.append(change)
                    }
                case .failed(let error, _):
                    status.lastError = error.description
                    status.lastErrorAt = completion.at
                    if let change = state.health.recordFailure(
                        receiver: receiver, error: error.description, at: completion.at)
                    {
                        transitions.append(change)
                    }
                }
                state.statuses[receiver] = status
            }
            for entry in rescheduled where !state.inFlight.contains(entry.key) { state.waiting[entry.key] = entry }
        }
        if !transitions.isEmpty { report(transitions) }
    }

    /// Refreshes the failing flags, logs the changes and hands them on.
    private func report(_ transitions: [ReceiverHealth.Transition]) {
        state.withLock { state in
            for name in state.statuses.keys {
                state.statuses[name]?.failing = state.health.failingReceivers.contains(name)
            }
        }
        for transition in transitions {
            switch transition {
            case .failing(let receiver, _, let lastError):
                logger.error("receiver failing", ["receiver": receiver, "error": lastError])
            case .recovered(let receiver):
                logger.info("receiver recovered", ["receiver": receiver])
            }
        }
        onHealth(transitions)
    }

    private func signal() {
        wakeup.lock()
        wakeup.signal()
        wakeup.unlock()
    }
}
