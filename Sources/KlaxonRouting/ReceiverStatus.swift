/// How one receiver is doing, for `GET /api/v1/receivers` and `klaxon` operators: when it last
/// delivered, its last failure, and how much waits for it in the outbox.
///
/// The notifiers fill it in; routing only owns the shape so the API need not import them.
package struct ReceiverStatus: Sendable, Equatable {
    /// The receiver's name in `klaxon.yml` (`telegram`, `oncall-slack`, `log`).
    package var name: String
    /// The notifier kind: `telegram`, `slack`, `webhook`, `email`, `alertmanager`, `log`.
    package var kind: String
    /// Unix milliseconds of the last accepted delivery; nil when none since start.
    package var lastSuccessAt: Int64?
    /// The last failure's text (never a secret); nil when none since start.
    package var lastError: String?
    /// Unix milliseconds of the last failure.
    package var lastErrorAt: Int64?
    /// Pending outbox entries for this receiver.
    package var outboxDepth: Int
    /// True while the receiver is considered failing (`KlaxonNotifierFailing` fires for it).
    package var failing: Bool

    package init(
        name: String, kind: String, lastSuccessAt: Int64? = nil, lastError: String? = nil, lastErrorAt: Int64? = nil,
        outboxDepth: Int = 0, failing: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.lastSuccessAt = lastSuccessAt
        self.lastError = lastError
        self.lastErrorAt = lastErrorAt
        self.outboxDepth = outboxDepth
        self.failing = failing
    }
}
