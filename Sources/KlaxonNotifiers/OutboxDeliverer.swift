import KlaxonRouting
import KlaxonRuntime

/// Delivers what the outbox holds: takes due entries, claims each, sends them, and records the
/// outcome (outbox state, audit trail, fallback entries) in one store transaction per entry.
///
/// The decisions are pure (`writes(for:…)`); `deliverDue` is the loop body the server runs on a
/// timer. Store calls block, so the caller runs it off the cooperative pool's critical paths.
/// `AlertStore.claimDelivery` must answer true again for the instance that already holds a key: an
/// entry is claimed before every attempt, retries and restarts included.
package struct OutboxDeliverer: Sendable {
    /// One attempt's outcome, for `ReceiverHealth` and metrics.
    package struct Attempt: Sendable, Equatable {
        package var entryKey: String
        package var receiver: String
        package var result: DeliveryResult
        /// Unix ms when the attempt ended.
        package var at: Int64
        /// The writes applied for it.
        package var writes: [StoreWrite]
    }

    private let store: any AlertStore
    private let notifiers: [String: any Notifier]
    private let fallbacks: [String: [String]]
    private let policy: RetryPolicy
    private let policies: [String: RetryPolicy]
    private let clock: any WallClock
    private let random: @Sendable () -> Double
    private let batchSize: Int

    /// `notifiers` by receiver name; `fallbacks` by receiver name (a receiver with none falls back to
    /// the log notifier, `LogNotifier.receiverName`); `policies` by receiver name, `policy` for the
    /// rest. `random` gives numbers in 0..<1 for the jitter.
    package init(
        store: any AlertStore, notifiers: [any Notifier], fallbacks: [String: [String]],
        policy: RetryPolicy = RetryPolicy(),
        policies: [String: RetryPolicy] = [:],
        clock: any WallClock, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) },
        batchSize: Int = 100
    ) {
        self.store = store
        self.notifiers = Dictionary(notifiers.map { ($0.receiver, $0) }, uniquingKeysWith: { first, _ in first })
        self.fallbacks = fallbacks
        self.policy = policy
        self.policies = policies
        self.clock = clock
        self.random = random
        self.batchSize = max(1, batchSize)
    }

    /// One round: every due entry (up to the batch size) is claimed and sent, concurrently; each
    /// outcome is applied as soon as its attempt ends. Returns the attempts made.
    package func deliverDue() async throws(StoreError) -> [Attempt] {
        let now = clock.nowMilliseconds()
        var claimed: [OutboxEntry] = []
        for entry in try store.dueOutbox(now: now, limit: batchSize) {
            if try store.claimDelivery(key: entry.key, now: now) {
                claimed.append(entry)
                continue
            }
            var elsewhere = entry
            elsewhere.state = .claimedElsewhere
            elsewhere.updatedAt = now
            try store.apply([.updateOutbox(elsewhere)])
        }
        let (attempts, failure) = await withTaskGroup(of: (OutboxEntry, DeliveryResult, Int64).self) { group in
            for entry in claimed {
                let notifier = notifiers[entry.receiver]
                group.addTask { [clock] in
                    let result: DeliveryResult
                    if let notifier {
                        result = await notifier.send(entry.notification, attempt: entry.attempts &+ 1)
                    } else {
                        result = .failed(
                            DeliveryError(.configuration, "no receiver named \(entry.receiver) is configured"),
                            retryAfter: nil)
                    }
                    return (entry, result, clock.nowMilliseconds())
                }
            }
            // Applied as each attempt ends, so a receiver that hangs until its timeout delays nobody
            // else's outcome. After a store failure the rest stay due and are sent again next round.
            var attempts: [Attempt] = []
            var failure: StoreError?
            for await (entry, result, finishedAt) in group where failure == nil {
                let writes = writes(for: entry, result: result, at: finishedAt, random: random())
                do throws(StoreError) {
                    try store.apply(writes)
                    attempts.append(
                        Attempt(
                            entryKey: entry.key, receiver: entry.receiver, result: result, at: finishedAt,
                            writes: writes))
                } catch {
                    failure = error
                }
            }
            return (attempts, failure)
        }
        if let failure { throw failure }
        return attempts
    }

    /// The store writes for one attempt at `entry` that ended at `now` with `result`.
    package func writes(for entry: OutboxEntry, result: DeliveryResult, at now: Int64, random: Double) -> [StoreWrite] {
        var updated = entry
        updated.attempts = entry.attempts &+ 1
        updated.updatedAt = now
        let notification = entry.notification
        let latency = now.subtractingReportingOverflow(notification.createdAt).partialValue
        switch result {
        case .delivered:
            updated.state = .delivered
            updated.lastError = nil
            return [.updateOutbox(updated)]
                + audit(
                    notification, kind: .sent, at: now, attempt: updated.attempts, latency: latency,
                    detail: notification.id)
        case .failed(let error, let retryAfter):
            updated.lastError = error.description
            if error.isRetryable,
                let next = (policies[entry.receiver] ?? policy).nextAttempt(
                    createdAt: notification.createdAt, now: now, attempt: updated.attempts, retryAfter: retryAfter,
                    random: random)
            {
                updated.nextAttemptAt = next
                let wait = MessageFormat.duration(milliseconds: MessageFormat.elapsed(from: now, to: next))
                return [.updateOutbox(updated)]
                    + audit(
                        notification, kind: .failed, at: now, attempt: updated.attempts, errorClass: error.errorClass,
                        detail: "\(error.message); retry in \(wait)")
            }
            updated.state = .failed
            let errorClass: DeliveryErrorClass = error.isRetryable ? .expired : error.errorClass
            let detail =
                error.isRetryable
                ? "\(error.message); given up after \(updated.attempts) attempts (max_delivery_age)" : error.message
            return [.updateOutbox(updated)]
                + audit(
                    notification, kind: .failed, at: now, attempt: updated.attempts, errorClass: errorClass,
                    detail: detail)
                + fallbackWrites(for: notification, at: now, reason: "\(errorClass.rawValue): \(error.message)")
        }
    }

    /// New outbox entries for the receiver's fallbacks (the log notifier when it names none).
    private func fallbackWrites(for notification: Notification, at now: Int64, reason: String) -> [StoreWrite] {
        guard notification.receiver != LogNotifier.receiverName else { return [] }
        var names = fallbacks[notification.receiver] ?? []
        if names.isEmpty { names = [LogNotifier.receiverName] }
        var writes: [StoreWrite] = []
        for name in names where name != notification.receiver {
            var copy = notification
            copy.receiver = name
            writes.append(.enqueue(OutboxEntry(notification: copy, nextAttemptAt: now, updatedAt: now)))
            writes += audit(copy, kind: .queued, at: now, detail: "fallback for \(notification.receiver): \(reason)")
        }
        return writes
    }

    /// One audit record per alert of the notification (one without an alert for a summary).
    private func audit(
        _ notification: Notification, kind: AuditKind, at now: Int64, attempt: Int? = nil, latency: Int64? = nil,
        errorClass: DeliveryErrorClass? = nil, detail: String
    ) -> [StoreWrite] {
        let base = AuditRecord(
            time: now, kind: kind, instance: store.instance, severity: notification.severity,
            receiver: notification.receiver, attempt: attempt, latencyMilliseconds: latency, errorClass: errorClass,
            detail: detail)
        guard !notification.alerts.isEmpty else {
            var record = base
            if case .rateLimitSummary(let summary) = notification.kind { record.source = summary.source }
            return [.audit(record)]
        }
        return notification.alerts.map { alert in
            var record = base
            record.fingerprint = alert.fingerprint
            record.severity = alert.severity
            record.alertName = alert.alertName
            record.source = alert.source
            record.ruleID = alert.ruleID
            record.labels = alert.labels
            return .audit(record)
        }
    }
}
