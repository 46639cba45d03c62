/// When to try a failed delivery again: exponential backoff with full jitter, as Alertmanager's
/// notifier retries (start 500 ms, ×1.5, capped at 60 s), until `max_delivery_age`.
///
/// Pure: the random draw comes in as a number in `0..<1`, so tests pick it.
package struct RetryPolicy: Sendable, Equatable {
    package var initialMilliseconds: Int64
    package var multiplier: Double
    package var maxMilliseconds: Int64
    /// A notification older than this (from its creation) is given up and handed to the fallbacks.
    package var maxDeliveryAgeMilliseconds: Int64

    package init(
        initialMilliseconds: Int64 = 500, multiplier: Double = 1.5, maxMilliseconds: Int64 = 60_000,
        maxDeliveryAgeMilliseconds: Int64 = 86_400_000
    ) {
        self.initialMilliseconds = initialMilliseconds
        self.multiplier = multiplier
        self.maxMilliseconds = maxMilliseconds
        self.maxDeliveryAgeMilliseconds = maxDeliveryAgeMilliseconds
    }

    /// The backoff's ceiling after `attempt` failed attempts (1-based): 500, 750, 1125 … 60 000 ms.
    package func ceiling(afterAttempt attempt: Int) -> Int64 {
        var ceiling = Double(max(0, initialMilliseconds))
        let cap = Double(max(0, maxMilliseconds))
        var step = 1
        while step < attempt, ceiling < cap {
            ceiling *= max(1, multiplier)
            step += 1
        }
        return Int64(min(ceiling, cap))
    }

    /// The wait after `attempt` failed: the receiver's own `retryAfter` when it gave one, else a
    /// uniformly random share (`random` in 0..<1) of the ceiling ("full jitter").
    package func delay(afterAttempt attempt: Int, retryAfter: Int64?, random: Double) -> Int64 {
        if let retryAfter { return max(0, retryAfter) }
        let share = random.isFinite ? min(max(random, 0), 1) : 0
        return Int64(Double(ceiling(afterAttempt: attempt)) * share)
    }

    /// When to try again after `attempt` failed at `now`, for a notification created at `createdAt`;
    /// nil when `max_delivery_age` has passed (give up). The last try is due at the deadline itself.
    package func nextAttempt(createdAt: Int64, now: Int64, attempt: Int, retryAfter: Int64?, random: Double) -> Int64? {
        let deadline = createdAt.addingReportingOverflow(maxDeliveryAgeMilliseconds)
        let end = deadline.overflow ? Int64.max : deadline.partialValue
        guard now < end else { return nil }
        let next = now.addingReportingOverflow(delay(afterAttempt: attempt, retryAfter: retryAfter, random: random))
        return next.overflow ? end : min(next.partialValue, end)
    }
}
