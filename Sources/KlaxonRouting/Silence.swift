import KlaxonMetrics

/// A silence: alerts whose labels match every matcher are not notified while it is active.
///
/// Alertmanager's model (matchers `=`, `!=`, `=~`, `!~`, creator, comment, start, end) plus one
/// thing Alertmanager lacks: a silence may last "until this alert resolves" (`untilResolved`).
package struct Silence: Sendable, Equatable {
    /// Where a silence stands at a given time, as Alertmanager names it.
    package enum State: String, Sendable {
        case pending
        case active
        case expired
    }

    /// A UUID, lower case.
    package var id: String
    package var matchers: [LabelMatcher]
    package var createdBy: String
    package var comment: String
    /// Unix milliseconds.
    package var startsAt: Int64
    /// Unix milliseconds; `Int64.max` for "until the alert resolves" with no end time.
    package var endsAt: Int64
    /// The alert whose resolution ends the silence, when it was created "until resolved".
    package var untilResolved: Fingerprint?
    /// Last change (creation, expiry), Unix milliseconds.
    package var updatedAt: Int64

    package init(
        id: String, matchers: [LabelMatcher], createdBy: String, comment: String, startsAt: Int64, endsAt: Int64,
        untilResolved: Fingerprint? = nil, updatedAt: Int64
    ) {
        self.id = id
        self.matchers = matchers
        self.createdBy = createdBy
        self.comment = comment
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.untilResolved = untilResolved
        self.updatedAt = updatedAt
    }

    /// Expired from `endsAt` on (also when it was expired before it started), else pending
    /// before `startsAt` and active in between.
    package func state(at now: Int64) -> State {
        if now >= endsAt { return .expired }
        return now < startsAt ? .pending : .active
    }

    /// True when every matcher matches `labels` (a missing label matches as "").
    package func matches(_ labels: Labels) -> Bool {
        matchers.allSatisfy { $0.matches(labels) }
    }

    /// True when the silence is active at `now` and matches `labels`.
    package func mutes(_ labels: Labels, at now: Int64) -> Bool {
        state(at: now) == .active && matches(labels)
    }
}
