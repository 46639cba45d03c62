import KlaxonConfig
import KlaxonMetrics

/// Where Klaxon keeps what must outlive the process: the audit trail, alert state, silences, acks,
/// the outbox and routing state. SQLite and PostgreSQL implement it with one schema.
///
/// Every call blocks (a database round trip) and is made from a thread of its own, never from
/// the cooperative pool or an HTTP I/O thread. Every row carries the store's `instance`; reads
/// return only this instance's rows except `history`, which filters by instance on request.
package protocol AlertStore: Sendable {
    /// The Klaxon instance this store writes as.
    var instance: String { get }

    /// Applies the writes in order, in one transaction: all or nothing.
    func apply(_ writes: [StoreWrite]) throws(StoreError)

    /// The audit trail newest first, `query.limit` at a time, continuing after `query.before`.
    func history(_ query: HistoryQuery) throws(StoreError) -> HistoryPage

    /// Deletes audit records older than `time` (Unix ms); returns how many went.
    func pruneAudit(olderThan time: Int64) throws(StoreError) -> Int

    /// Every persisted pending/firing alert of this instance.
    func activeAlerts() throws(StoreError) -> [PersistedAlert]

    /// Every silence of this instance, expired ones included, newest first.
    func silences() throws(StoreError) -> [Silence]

    /// Every ack of this instance.
    func acks() throws(StoreError) -> [Ack]

    /// Pending outbox entries due at or before `now`, oldest first, at most `limit`.
    func dueOutbox(now: Int64, limit: Int) throws(StoreError) -> [OutboxEntry]

    /// Pending outbox entries: how many, and the creation time of the oldest (nil when none).
    func outboxDepth() throws(StoreError) -> (count: Int, oldestCreatedAt: Int64?)

    /// Claims the right to deliver `key` across every Klaxon sharing the database (a unique
    /// constraint); true for the first claimant, false when another instance holds it.
    func claimDelivery(key: String, now: Int64) throws(StoreError) -> Bool

    /// A routing-state value stored with `.routingState`, or nil.
    func routingState(key: String) throws(StoreError) -> String?
}

/// A filter on the audit trail; every set field must match.
package struct HistoryQuery: Sendable, Equatable {
    package var severity: Severity?
    package var alertName: String?
    package var ruleID: String?
    package var source: String?
    package var fingerprint: Fingerprint?
    package var kind: AuditKind?
    package var receiver: String?
    /// Only this Klaxon's records; nil for every instance sharing the database.
    package var instance: String?
    /// Unix ms, inclusive.
    package var since: Int64?
    /// Unix ms, exclusive.
    package var until: Int64?
    /// Cursor: only records with a smaller id (the `nextCursor` of the previous page).
    package var before: Int64?
    /// Page size, 1 … 1000.
    package var limit: Int

    package init(
        severity: Severity? = nil, alertName: String? = nil, ruleID: String? = nil, source: String? = nil,
        fingerprint: Fingerprint? = nil, kind: AuditKind? = nil, receiver: String? = nil, instance: String? = nil,
        since: Int64? = nil, until: Int64? = nil, before: Int64? = nil, limit: Int = 100
    ) {
        self.severity = severity
        self.alertName = alertName
        self.ruleID = ruleID
        self.source = source
        self.fingerprint = fingerprint
        self.kind = kind
        self.receiver = receiver
        self.instance = instance
        self.since = since
        self.until = until
        self.before = before
        self.limit = limit
    }
}

/// One page of the audit trail, newest first.
package struct HistoryPage: Sendable, Equatable {
    package var records: [AuditRecord]
    /// Pass as `before` for the next (older) page; nil on the last page.
    package var nextCursor: Int64?

    package init(records: [AuditRecord], nextCursor: Int64?) {
        self.records = records
        self.nextCursor = nextCursor
    }
}

/// Why the store could not do what was asked. Never quotes a password or a connection string.
package struct StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure, for metrics and for deciding whether to retry.
    package enum Kind: String, Sendable {
        /// The database cannot be reached (server down, connection lost): spool and retry.
        case unavailable
        /// A statement failed (constraint, disk full, corrupt data).
        case failed
        /// A stored value could not be read back (bad JSON, unknown enum value).
        case corrupt
        /// The schema is newer than this build understands.
        case schema
    }

    package var kind: Kind
    package var message: String

    package init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    package var description: String { message }
}
