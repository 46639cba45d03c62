import KlaxonMetrics

/// One change to the store. Routing returns a list of these per decision; the store applies a
/// list in one transaction, so nothing is half-applied and one commit covers a burst.
package enum StoreWrite: Sendable, Equatable {
    /// Appends to the audit trail (the record's `id` is ignored and assigned by the store).
    case audit(AuditRecord)
    /// Replaces the persisted alerts of one rule group (empty removes them).
    case activeAlerts(group: String, alerts: [PersistedAlert])
    /// Creates or replaces a silence by id.
    case silence(Silence)
    /// Creates or replaces the ack of an alert.
    case ack(Ack)
    /// Removes the ack of an alert (unacked, expired, or the alert resolved).
    case removeAck(Fingerprint)
    /// Adds an outbox entry; an entry whose key exists already is left as it is.
    case enqueue(OutboxEntry)
    /// Updates an outbox entry's state, attempts, next attempt and last error by key.
    case updateOutbox(OutboxEntry)
    /// Stores a named piece of routing state (JSON text), replacing the previous value.
    case routingState(key: String, value: String)
}
