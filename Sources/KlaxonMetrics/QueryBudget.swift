import KlaxonRuntime
import Synchronization

/// How much one query may spend: how long it may run and how many samples it may load.
package struct QueryLimits: Sendable, Hashable {
    /// Wall time from the start of the query, in milliseconds (`query.timeout`).
    package var timeoutMilliseconds: Int64
    /// Samples the query may load in total (`query.max_samples`).
    package var maxSamples: Int

    /// Prometheus's `query.max-samples` default.
    package static let defaultMaxSamples = 50_000_000

    package init(timeoutMilliseconds: Int64 = 10_000, maxSamples: Int = QueryLimits.defaultMaxSamples) {
        self.timeoutMilliseconds = timeoutMilliseconds
        self.maxSamples = maxSamples
    }
}

/// Why a query was stopped before it finished.
package enum QueryLimitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The deadline passed.
    case timeout
    /// Loading the next samples would pass `maxSamples`.
    case tooManySamples

    /// Prometheus's own wording, which clients match on.
    package var description: String {
        switch self {
        case .timeout: "query timed out in expression evaluation"
        case .tooManySamples: "query processing would load too many samples into memory in query execution"
        }
    }
}

/// One query's running account against its `QueryLimits`.
///
/// Work is counted, and the clock is read only every `unitsPerClockRead` units and at each
/// `checkDeadline()`, so charging a sample costs two adds and two compares.
///
/// One query runs on one thread. The counters are atomics read and written with separate
/// relaxed loads and stores, not read-modify-write: that keeps the type memory-safe to share
/// (`Sendable`) at the price of a plain store, and a budget charged from two threads at once
/// may only miscount, never corrupt.
package final class QueryBudget: Sendable {
    /// Units of work (samples charged, evaluation steps) between two readings of the clock.
    package static let unitsPerClockRead = 4096

    /// The limits this budget enforces.
    package let limits: QueryLimits
    private let clock: any MonotonicClock
    private let deadline: Int64
    private let loaded = Atomic<Int>(0)
    private let unchecked = Atomic<Int>(0)

    /// Starts the account now: the deadline is `limits.timeoutMilliseconds` from the clock's current reading.
    package init(limits: QueryLimits, clock: any MonotonicClock = SystemMonotonicClock()) {
        self.limits = limits
        self.clock = clock
        let (deadline, overflow) = clock.monotonicMilliseconds().addingReportingOverflow(limits.timeoutMilliseconds)
        self.deadline = overflow ? Int64.max : deadline
    }

    /// Samples charged so far.
    package var samplesLoaded: Int { loaded.load(ordering: .relaxed) }

    /// Records `count` more samples loaded; throws when that passes the cap, or when the
    /// deadline has passed at a periodic clock reading.
    @inline(__always)
    package func charge(samples count: Int) throws(QueryLimitError) {
        let total = loaded.load(ordering: .relaxed) &+ count
        loaded.store(total, ordering: .relaxed)
        if total > limits.maxSamples || total < 0 { throw .tooManySamples }
        try step(count)
    }

    /// Records `units` of work; reads the clock once enough work has accumulated since the last reading.
    @inline(__always)
    package func step(_ units: Int = 1) throws(QueryLimitError) {
        let pending = unchecked.load(ordering: .relaxed) &+ units
        if pending >= Self.unitsPerClockRead || pending < 0 {
            unchecked.store(0, ordering: .relaxed)
            try checkDeadline()
        } else {
            unchecked.store(pending, ordering: .relaxed)
        }
    }

    /// Reads the clock now; throws when the deadline has passed. For steps that are costly on
    /// their own (a selector, one regular expression match).
    package func checkDeadline() throws(QueryLimitError) {
        if isPastDeadline { throw .timeout }
    }

    /// Reads the clock now: whether the deadline has passed.
    package var isPastDeadline: Bool { clock.monotonicMilliseconds() >= deadline }
}
