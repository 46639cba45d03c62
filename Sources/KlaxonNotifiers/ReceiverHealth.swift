/// Which receivers keep failing, so the server can raise `KlaxonNotifierFailing{receiver=…}` and
/// clear it when deliveries succeed again.
///
/// A receiver is failing after `consecutiveFailures` failed attempts in a row, or when its failures
/// have gone on for `failingAfterMilliseconds` with no success in between. Pure, time passed in.
package struct ReceiverHealth: Sendable, Equatable {
    /// A change worth an alert.
    package enum Transition: Sendable, Equatable {
        /// `receiver` has been failing since `since` (Unix ms); `lastError` is the latest failure's text.
        case failing(receiver: String, since: Int64, lastError: String)
        case recovered(receiver: String)
    }

    private struct Streak: Sendable, Equatable {
        var failures = 0
        var since: Int64
        var lastError = ""
        var failing = false
    }

    /// When a receiver counts as failing.
    package struct Thresholds: Sendable, Equatable {
        package var consecutiveFailures: Int
        package var failingAfterMilliseconds: Int64

        package init(consecutiveFailures: Int = 3, failingAfterMilliseconds: Int64 = 60_000) {
            self.consecutiveFailures = max(1, consecutiveFailures)
            self.failingAfterMilliseconds = failingAfterMilliseconds
        }
    }

    /// For receivers without thresholds of their own.
    package var defaults: Thresholds
    /// Per receiver (`failing_after_failures`, `failing_after`).
    package var thresholds: [String: Thresholds]
    private var streaks: [String: Streak] = [:]

    package init(
        consecutiveFailures: Int = 3, failingAfterMilliseconds: Int64 = 60_000, thresholds: [String: Thresholds] = [:]
    ) {
        defaults = Thresholds(
            consecutiveFailures: consecutiveFailures, failingAfterMilliseconds: failingAfterMilliseconds)
        self.thresholds = thresholds
    }

    /// The receivers currently reported as failing, sorted.
    package var failingReceivers: [String] { streaks.filter { $0.value.failing }.map { $0.key }.sorted() }

    /// A delivery to `receiver` succeeded at `now`.
    package mutating func recordSuccess(receiver: String, at now: Int64) -> Transition? {
        guard let streak = streaks.removeValue(forKey: receiver) else { return nil }
        return streak.failing ? .recovered(receiver: receiver) : nil
    }

    /// A delivery attempt to `receiver` failed at `now` with `error`.
    package mutating func recordFailure(receiver: String, error: String, at now: Int64) -> Transition? {
        var streak = streaks[receiver] ?? Streak(since: now)
        streak.failures &+= 1
        streak.lastError = error
        streaks[receiver] = streak
        return promote(receiver, at: now)
    }

    /// Receivers whose failures have now lasted long enough, with no new attempt needed.
    package mutating func check(at now: Int64) -> [Transition] {
        streaks.keys.sorted().compactMap { promote($0, at: now) }
    }

    private mutating func promote(_ receiver: String, at now: Int64) -> Transition? {
        guard var streak = streaks[receiver], !streak.failing else { return nil }
        let lasted = now.subtractingReportingOverflow(streak.since).partialValue
        let limits = thresholds[receiver] ?? defaults
        guard streak.failures >= limits.consecutiveFailures || lasted >= limits.failingAfterMilliseconds else {
            return nil
        }
        streak.failing = true
        streaks[receiver] = streak
        return .failing(receiver: receiver, since: streak.since, lastError: streak.lastError)
    }
}
