import KlaxonConfig
import KlaxonMetrics

/// What happened, in the audit trail's words. Raw values are what the store writes and the
/// history API filters on.
package enum AuditKind: String, Sendable, Hashable, CaseIterable {
    case fired
    case resolved
    /// A notification was written to the outbox for one receiver.
    case queued
    /// A receiver accepted a notification (2xx); carries the attempt and latency.
    case sent
    /// A delivery attempt failed; carries the error class and text, and whether it will be retried.
    case failed
    /// A stage held an alert back; carries the stage.
    case suppressed
    case acked
    case unacked
    case escalated
    case silenceCreated = "silence_created"
    case silenceExpired = "silence_expired"
}

/// The pipeline stage that held an alert back, in pipeline order.
package enum SuppressionStage: String, Sendable, Hashable, CaseIterable {
    /// `disabled_alerts` names the alert or its rule_id.
    case disabled
    /// The alert is less urgent than `min_severity`.
    case belowMinSeverity = "below_min_severity"
    case inhibited
    case silenced
    case acked
    /// Already notified within `repeat_interval`.
    case deduplicated
    /// Over the (severity, source) budget for the minute; counted into the window's summary.
    case rateLimited = "rate_limited"
    /// The environment's policy names no receiver for this severity: audit only.
    case noReceiver = "no_receiver"
}

/// Why a delivery attempt failed, as notifiers classify it; decides retry or fallback.
package enum DeliveryErrorClass: String, Sendable, Hashable, CaseIterable {
    /// Connection refused or reset, DNS, TLS: retried.
    case network
    /// No answer within the notifier's timeout: retried.
    case timeout
    /// 5xx: retried.
    case serverError = "server_error"
    /// 429 or Telegram's `retry_after`: retried after the time the receiver asked for.
    case throttled
    /// Any other 4xx: not retried; the fallback receivers get the notification.
    case rejected
    /// The receiver is misconfigured (no token, bad URL): not retried.
    case configuration
    /// Retried until `max_delivery_age` and given up.
    case expired
}

/// One line of the audit trail. Append-only; `id` is the store's, increasing in insertion order.
package struct AuditRecord: Sendable, Equatable {
    /// Store-assigned row id (0 before it is written); the history cursor.
    package var id: Int64
    /// Unix milliseconds.
    package var time: Int64
    package var kind: AuditKind
    /// The Klaxon that wrote it (`store.instance` or `external_labels`), so several share one database.
    package var instance: String
    package var fingerprint: Fingerprint?
    package var alertName: String
    package var severity: Severity?
    package var source: String
    package var ruleID: String
    /// The receiver for queued, sent and failed; "" otherwise.
    package var receiver: String
    /// The stage for `suppressed`.
    package var stage: SuppressionStage?
    /// Delivery attempt number (1-based) for sent and failed.
    package var attempt: Int?
    /// Milliseconds from queueing (sent) or from the sample's arrival (end to end), when known.
    package var latencyMilliseconds: Int64?
    package var errorClass: DeliveryErrorClass?
    /// Free text: who acked and why, the error text, the silence id, the inhibiting alert…
    package var detail: String
    /// The alert's labels, when the record is about an alert.
    package var labels: Labels

    package init(
        id: Int64 = 0, time: Int64, kind: AuditKind, instance: String = "", fingerprint: Fingerprint? = nil,
        alertName: String = "", severity: Severity? = nil, source: String = "", ruleID: String = "",
        receiver: String = "", stage: SuppressionStage? = nil, attempt: Int? = nil,
        latencyMilliseconds: Int64? = nil, errorClass: DeliveryErrorClass? = nil, detail: String = "",
        labels: Labels = .empty
    ) {
        self.id = id
        self.time = time
        self.kind = kind
        self.instance = instance
        self.fingerprint = fingerprint
        self.alertName = alertName
        self.severity = severity
        self.source = source
        self.ruleID = ruleID
        self.receiver = receiver
        self.stage = stage
        self.attempt = attempt
        self.latencyMilliseconds = latencyMilliseconds
        self.errorClass = errorClass
        self.detail = detail
        self.labels = labels
    }

    /// A record about `alert`, with its identity columns filled in.
    package init(time: Int64, kind: AuditKind, alert: AlertEvent, detail: String = "") {
        self.init(
            time: time, kind: kind, fingerprint: alert.fingerprint, alertName: alert.alertName,
            severity: alert.severity, source: alert.source, ruleID: alert.ruleID, detail: detail,
            labels: alert.labels)
    }
}
