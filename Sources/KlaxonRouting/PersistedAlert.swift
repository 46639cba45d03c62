import KlaxonMetrics

/// A rule's pending or firing alert as the store keeps it, so a restart neither re-pages nor
/// forgets: `for` timers, `keep_firing_for` and active-since resume where they were.
///
/// Routing owns the shape; the server converts to and from the rule engine's `Alert`.
package struct PersistedAlert: Sendable, Equatable {
    /// The rule group's owner name (`rules/FILE;GROUP`).
    package var group: String
    /// The alerting rule's name.
    package var rule: String
    package var labels: Labels
    package var annotations: [Label]
    /// `pending` or `firing`.
    package var state: String
    package var value: Double
    /// Unix milliseconds.
    package var activeAt: Int64
    package var firedAt: Int64?
    package var keepFiringSince: Int64?
    package var lastSentAt: Int64?
    package var validUntil: Int64?

    package init(
        group: String, rule: String, labels: Labels, annotations: [Label], state: String, value: Double,
        activeAt: Int64, firedAt: Int64? = nil, keepFiringSince: Int64? = nil, lastSentAt: Int64? = nil,
        validUntil: Int64? = nil
    ) {
        self.group = group
        self.rule = rule
        self.labels = labels
        self.annotations = annotations
        self.state = state
        self.value = value
        self.activeAt = activeAt
        self.firedAt = firedAt
        self.keepFiringSince = keepFiringSince
        self.lastSentAt = lastSentAt
        self.validUntil = validUntil
    }

    package var fingerprint: Fingerprint { Fingerprint(labels) }

    package static func == (lhs: PersistedAlert, rhs: PersistedAlert) -> Bool {
        lhs.group == rhs.group && lhs.rule == rhs.rule && lhs.labels == rhs.labels
            && lhs.annotations == rhs.annotations && lhs.state == rhs.state
            && lhs.value.bitPattern == rhs.value.bitPattern && lhs.activeAt == rhs.activeAt
            && lhs.firedAt == rhs.firedAt && lhs.keepFiringSince == rhs.keepFiringSince
            && lhs.lastSentAt == rhs.lastSentAt && lhs.validUntil == rhs.validUntil
    }
}
