/// One (notification, receiver) waiting in the durable outbox, so one receiver's failure never
/// resends to the others.
package struct OutboxEntry: Sendable, Equatable {
    /// Where a delivery stands.
    package enum State: String, Sendable, Hashable, CaseIterable {
        /// Not delivered yet; due at `nextAttemptAt`.
        case pending
        case delivered
        /// Given up: rejected by the receiver, or older than `max_delivery_age`.
        case failed
        /// Another Klaxon sharing the database claimed the idempotency key and sends it.
        case claimedElsewhere = "claimed_elsewhere"
    }

    /// The notification's id: unique per receiver, and the idempotency key sent to receivers.
    package var notification: Notification
    package var state: State
    /// Attempts made so far.
    package var attempts: Int
    /// Unix milliseconds when the next attempt is due.
    package var nextAttemptAt: Int64
    /// The last failure's text, if any (never holds a secret).
    package var lastError: String?
    /// Unix milliseconds of the last state change.
    package var updatedAt: Int64

    package init(
        notification: Notification, state: State = .pending, attempts: Int = 0, nextAttemptAt: Int64,
        lastError: String? = nil, updatedAt: Int64
    ) {
        self.notification = notification
        self.state = state
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.updatedAt = updatedAt
    }

    /// The outbox key: the notification id and the receiver (ids are already per receiver; the
    /// receiver is part of the key so a mistake there can never merge two receivers' rows).
    package var key: String { notification.id + "@" + notification.receiver }

    package var receiver: String { notification.receiver }
}
