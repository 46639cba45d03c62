import KlaxonMetrics

/// Where an alert stands: Prometheus's `inactive`, `pending`, `firing`.
package enum AlertState: String, Sendable, Comparable, CaseIterable {
    case inactive
    case pending
    case firing

    private var rank: Int {
        switch self {
        case .inactive: 0
        case .pending: 1
        case .firing: 2
        }
    }

    package static func < (lhs: AlertState, rhs: AlertState) -> Bool { lhs.rank < rhs.rank }
}

/// One instance of an alerting rule: one label set produced by its expression.
///
/// Times are Unix milliseconds; nil stands for Go's zero time.
package struct Alert: Sendable, Equatable {
    package var state: AlertState
    /// Series labels without `__name__`, plus the rule's labels (templated), plus `alertname`.
    package var labels: Labels
    /// The rule's annotations, templated, in name order; empty values are kept.
    package var annotations: [Label]
    /// The expression's value at the last evaluation that returned this label set.
    package var value: Double
    /// When the condition started to hold (the alert became pending).
    package var activeAt: Int64
    package var firedAt: Int64?
    /// When a firing alert stopped firing; nil while active.
    package var resolvedAt: Int64?
    package var lastSentAt: Int64?
    /// Until when a receiver should consider the alert current (Alertmanager's `endsAt` while firing).
    package var validUntil: Int64?
    /// When the condition last stopped holding while `keep_firing_for` keeps the alert firing.
    package var keepFiringSince: Int64?

    package init(
        state: AlertState, labels: Labels, annotations: [Label], value: Double, activeAt: Int64,
        firedAt: Int64? = nil, resolvedAt: Int64? = nil, lastSentAt: Int64? = nil,
        validUntil: Int64? = nil, keepFiringSince: Int64? = nil
    ) {
        self.state = state
        self.labels = labels
        self.annotations = annotations
        self.value = value
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.resolvedAt = resolvedAt
        self.lastSentAt = lastSentAt
        self.validUntil = validUntil
        self.keepFiringSince = keepFiringSince
    }

    /// The identity of the alert: the fingerprint of its labels (Alertmanager's fingerprint).
    package var fingerprint: Fingerprint { Fingerprint(labels) }

    /// The annotation `name`, or nil.
    package func annotation(_ name: String) -> String? {
        annotations.first { $0.name == name }?.value
    }

    package static func == (lhs: Alert, rhs: Alert) -> Bool {
        lhs.state == rhs.state && lhs.labels == rhs.labels && lhs.annotations == rhs.annotations
            && lhs.value.bitPattern == rhs.value.bitPattern && lhs.activeAt == rhs.activeAt
            && lhs.firedAt == rhs.firedAt && lhs.resolvedAt == rhs.resolvedAt && lhs.lastSentAt == rhs.lastSentAt
            && lhs.validUntil == rhs.validUntil && lhs.keepFiringSince == rhs.keepFiringSince
    }

    /// Prometheus's rule: pending alerts are never sent; a newly resolved alert is sent at once;
    /// anything else again once `resendDelay` has passed since the last send.
    func needsSending(at now: Int64, resendDelay: Int64) -> Bool {
        if state == .pending { return false }
        if let resolvedAt, resolvedAt > (lastSentAt ?? Int64.min) { return true }
        guard let lastSentAt else { return true }
        return lastSentAt + resendDelay < now
    }
}

/// A change of an alert's state, reported to the notify function.
package struct AlertTransition: Sendable, Equatable {
    package enum Kind: String, Sendable {
        /// The condition started to hold and `for` has not elapsed.
        case pending
        /// The alert fires (after `for`, or at once when `for` is 0).
        case firing
        /// A firing alert stopped firing (after `keep_firing_for`, when set).
        case resolved
        /// A pending alert's condition cleared before `for` elapsed; it was never notified.
        case cancelled
    }

    package var kind: Kind
    /// The alert after the transition.
    package var alert: Alert

    package init(kind: Kind, alert: Alert) {
        self.kind = kind
        self.alert = alert
    }
}

/// A sample a rule writes back: `ALERTS`, `ALERTS_FOR_STATE`, or a recording rule's output.
package struct RuleSample: Sendable, Equatable {
    package var labels: Labels
    package var sample: Sample

    package init(labels: Labels, sample: Sample) {
        self.labels = labels
        self.sample = sample
    }
}
