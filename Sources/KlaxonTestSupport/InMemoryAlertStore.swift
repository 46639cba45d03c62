import KlaxonMetrics
import KlaxonRouting
import Synchronization

/// An `AlertStore` in memory, for tests of code that writes through the protocol (routing, the
/// outbox deliverer). Follows the protocol's rules: a batch of writes applies whole or not at all,
/// `enqueue` leaves an existing key alone, a delivery key belongs to the first instance claiming it.
package final class InMemoryAlertStore: AlertStore {
    package let instance: String
    private let state = Mutex(State())
    /// Delivery claims, shared with other stores made `sharingClaimsWith` this one (one database).
    private let claims: ClaimBook

    private struct State {
        var audit: [AuditRecord] = []
        var nextID: Int64 = 1
        var activeAlerts: [String: [PersistedAlert]] = [:]
        var silences: [String: Silence] = [:]
        var acks: [Fingerprint: Ack] = [:]
        var outbox: [String: OutboxEntry] = [:]
        var outboxOrder: [String] = []
        var routingState: [String: String] = [:]
        var failNextApply: StoreError?
    }

    package init(instance: String = "test", sharingClaimsWith other: InMemoryAlertStore? = nil) {
        self.instance = instance
        claims = other?.claims ?? ClaimBook()
    }

    /// Makes the next `apply` fail with `error` (and change nothing).
    package func failNextApply(with error: StoreError) {
        state.withLock { $0.failNextApply = error }
    }

    package func apply(_ writes: [StoreWrite]) throws(StoreError) {
        try state.withLock { (state: inout State) throws(StoreError) in
            if let error = state.failNextApply {
                state.failNextApply = nil
                throw error
            }
            var next = state
            for write in writes {
                switch write {
                case .audit(var record):
                    record.id = next.nextID
                    record.instance = record.instance.isEmpty ? instance : record.instance
                    next.nextID += 1
                    next.audit.append(record)
                case .activeAlerts(let group, let alerts): next.activeAlerts[group] = alerts.isEmpty ? nil : alerts
                case .silence(let silence): next.silences[silence.id] = silence
                case .ack(let ack): next.acks[ack.fingerprint] = ack
                case .removeAck(let fingerprint): next.acks[fingerprint] = nil
                case .enqueue(let entry):
                    guard next.outbox[entry.key] == nil else { continue }
                    next.outbox[entry.key] = entry
                    next.outboxOrder.append(entry.key)
                case .updateOutbox(let entry):
                    guard next.outbox[entry.key] != nil else {
                        throw StoreError(.failed, "no outbox entry \(entry.key) to update")
                    }
                    next.outbox[entry.key] = entry
                case .routingState(let key, let value): next.routingState[key] = value
                }
            }
            state = next
        }
    }

    package func history(_ query: HistoryQuery) throws(StoreError) -> HistoryPage {
        let matching = state.withLock { $0.audit }.reversed().filter { record in
            (query.severity.map { record.severity == $0 } ?? true)
                && (query.alertName.map { record.alertName == $0 } ?? true)
                && (query.ruleID.map { record.ruleID == $0 } ?? true)
                && (query.source.map { record.source == $0 } ?? true)
                && (query.fingerprint.map { record.fingerprint == $0 } ?? true)
                && (query.kind.map { record.kind == $0 } ?? true)
                && (query.receiver.map { record.receiver == $0 } ?? true)
                && (query.instance.map { record.instance == $0 } ?? true)
                && (query.since.map { record.time >= $0 } ?? true)
                && (query.until.map { record.time < $0 } ?? true) && (query.before.map { record.id < $0 } ?? true)
        }
        let page = Array(matching.prefix(query.limit))
        return HistoryPage(records: page, nextCursor: matching.count > page.count ? page.last?.id : nil)
    }

    package func pruneAudit(olderThan time: Int64) throws(StoreError) -> Int {
        state.withLock { state in
            let before = state.audit.count
            state.audit.removeAll { $0.time < time }
            return before - state.audit.count
        }
    }

    package func activeAlerts() throws(StoreError) -> [PersistedAlert] {
        state.withLock { state in state.activeAlerts.keys.sorted().flatMap { state.activeAlerts[$0] ?? [] } }
    }

    package func silences() throws(StoreError) -> [Silence] {
        state.withLock { $0.silences.values.sorted { $0.updatedAt > $1.updatedAt } }
    }

    package func acks() throws(StoreError) -> [Ack] {
        state.withLock { Array($0.acks.values) }
    }

    package func dueOutbox(now: Int64, limit: Int) throws(StoreError) -> [OutboxEntry] {
        state.withLock { state in
            let due = state.outboxOrder.compactMap { state.outbox[$0] }
                .filter { $0.state == .pending && $0.nextAttemptAt <= now }
                .sorted { $0.notification.createdAt < $1.notification.createdAt }
            return Array(due.prefix(limit))
        }
    }

    package func outboxDepth() throws(StoreError) -> (count: Int, oldestCreatedAt: Int64?) {
        state.withLock { state in
            let pending = state.outbox.values.filter { $0.state == .pending }
            return (pending.count, pending.map(\.notification.createdAt).min())
        }
    }

    package func claimDelivery(key: String, now: Int64) throws(StoreError) -> Bool {
        claims.holders.withLock { holders in
            if let holder = holders[key] { return holder == instance }
            holders[key] = instance
            return true
        }
    }

    package func routingState(key: String) throws(StoreError) -> String? {
        state.withLock { $0.routingState[key] }
    }

    // MARK: - For assertions

    /// Every audit record, oldest first.
    package var auditRecords: [AuditRecord] { state.withLock { $0.audit } }

    /// Every outbox entry in the order enqueued.
    package var outboxEntries: [OutboxEntry] {
        state.withLock { state in state.outboxOrder.compactMap { state.outbox[$0] } }
    }

    /// The outbox entry with `key`, or nil.
    package func outboxEntry(_ key: String) -> OutboxEntry? { state.withLock { $0.outbox[key] } }
}

/// Which instance holds each delivery key.
private final class ClaimBook: Sendable {
    let holders = Mutex<[String: String]>([:])
}
