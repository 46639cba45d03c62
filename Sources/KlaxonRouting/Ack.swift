import KlaxonMetrics

/// An acknowledgement: someone owns the alert, so it stops paging and escalating.
///
/// It lapses when the alert resolves, and at `expiresAt` when set (PagerDuty's ack timeout), after
/// which the alert pages again.
package struct Ack: Sendable, Equatable {
    package var fingerprint: Fingerprint
    package var by: String
    package var comment: String
    /// Unix milliseconds.
    package var at: Int64
    /// Unix milliseconds; nil for an ack that lasts until the alert resolves.
    package var expiresAt: Int64?

    package init(fingerprint: Fingerprint, by: String, comment: String, at: Int64, expiresAt: Int64? = nil) {
        self.fingerprint = fingerprint
        self.by = by
        self.comment = comment
        self.at = at
        self.expiresAt = expiresAt
    }

    /// True until `expiresAt` (forever when none).
    package func isActive(at now: Int64) -> Bool {
        guard let expiresAt else { return true }
        return now < expiresAt
    }
}
