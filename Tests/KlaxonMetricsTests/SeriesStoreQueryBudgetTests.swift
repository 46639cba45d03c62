import Dispatch
import KlaxonMetrics
import KlaxonRuntime
import KlaxonTestSupport
import Synchronization
import Testing

/// A monotonic clock that counts its readings and, once armed, runs a probe at each one.
private final class ProbingClock: MonotonicClock {
    private let state = Mutex<(now: Int64, reads: Int)>((0, 0))
    private let probe = Mutex<(@Sendable () -> Void)?>(nil)
    private let step: Int64

    /// Each reading moves the clock `step` ms forward (after returning the current time).
    init(step: Int64 = 0) {
        self.step = step
    }

    func monotonicMilliseconds() -> Int64 {
        let now = state.withLock { state in
            state.reads += 1
            defer { state.now += step }
            return state.now
        }
        probe.withLock { $0 }?()
        return now
    }

    var reads: Int { state.withLock { $0.reads } }
    func advance(by milliseconds: Int64) { state.withLock { $0.now += milliseconds } }
    func arm(_ body: @escaping @Sendable () -> Void) { probe.withLock { $0 = body } }
}

@Suite struct SeriesStoreQueryBudgetTests {
    typealias F = Fixtures

    /// `count` series `redos{v="aaa…"}` whose values end in `b` at every third one.
    static func redosStore(count: Int) throws -> SeriesStore {
        let store = SeriesStore()
        let samples = (0..<count).map { index in
            F.sample("redos", ["v": String(repeating: "a", count: 4 + index) + (index % 3 == 0 ? "b" : "")], 1, at: 0)
        }
        try store.append(owner: F.job, [F.family("redos", .gauge, samples)], now: 0)
        return store
    }

    @Test func aPushCompletesWhileACostlyRegexIsBeingMatched() throws {
        let store = try Self.redosStore(count: 20)
        let clock = ProbingClock()
        let outcomes = Mutex<[Bool]>([])
        let pushes = Atomic<Int>(0)
        // At each clock reading the selection is between two regex matches; a push from another
        // thread must complete then. Were the store's lock held, it would wait out the timeout.
        clock.arm {
            let done = DispatchSemaphore(value: 0)
            DispatchQueue.global().async {
                let n = pushes.add(1, ordering: .relaxed).newValue
                try? store.append(
                    owner: F.other, [F.gauge("pushed", F.sample("pushed", ["n": "\(n)"], 1, at: 0))], now: 0)
                done.signal()
            }
            let completed = done.wait(timeout: .now() + 5) == .success
            outcomes.withLock { $0.append(completed) }
        }
        let budget = QueryBudget(limits: QueryLimits(), clock: clock)
        let found = try store.selectLatest(
            [F.matcher("__name__", .equal, "redos"), F.matcher("v", .regexMatch, "(a+)+b")], start: 0, end: 0,
            budget: budget)
        #expect(found.count == 7)
        let seen = outcomes.withLock { $0 }
        #expect(seen.count >= 20, "the clock was read \(seen.count) times for 20 values")
        #expect(seen.allSatisfy { $0 })
        #expect(store.selectLatest([F.matcher("__name__", .equal, "pushed")], start: 0, end: 0).count == seen.count)
    }

    @Test(arguments: [
        ("v", MatchType.regexMatch, "(a+)+b", 7),
        ("v", .regexNoMatch, "(a+)+b", 13),
        ("v", .regexMatch, "a{14,}b?", 10),
        ("missing", .regexNoMatch, "x.*", 20),
        ("missing", .regexMatch, "x.*|", 20),
    ])
    func costlyMatchersSelectAsWithoutABudget(name: String, type: MatchType, pattern: String, expected: Int) throws {
        let store = try Self.redosStore(count: 20)
        let matchers = [F.matcher("__name__", .equal, "redos"), F.matcher(name, type, pattern)]
        let budget = QueryBudget(limits: QueryLimits())
        let bounded = try store.select(matchers, start: 0, end: 0, budget: budget).map(\.labels)
        #expect(bounded.count == expected)
        #expect(bounded == store.select(matchers, start: 0, end: 0).map(\.labels))
        #expect(budget.samplesLoaded == expected)
    }

    @Test func selectionStopsAtTheSampleCap() throws {
        let store = SeriesStore()
        let samples = (0..<10).flatMap { series in
            (1...10).map { F.sample("load", ["s": "\(series)"], Double($0), at: Int64($0) * 1000) }
        }
        try store.append(owner: F.job, [F.family("load", .gauge, samples)], now: 10_000)
        let matchers = [F.matcher("__name__", .equal, "load")]
        #expect(throws: QueryLimitError.tooManySamples) {
            try store.select(matchers, start: 0, end: 10_000, budget: QueryBudget(limits: QueryLimits(maxSamples: 99)))
        }
        #expect(
            try store.select(matchers, start: 0, end: 10_000, budget: QueryBudget(limits: QueryLimits(maxSamples: 100)))
                .count == 10)
        #expect(throws: QueryLimitError.tooManySamples) {
            try store.selectLatest(
                matchers, start: 0, end: 10_000, budget: QueryBudget(limits: QueryLimits(maxSamples: 9)))
        }
    }

    @Test func selectionStopsPastTheDeadline() throws {
        let store = try Self.redosStore(count: 5)
        let clock = ProbingClock()
        let budget = QueryBudget(limits: QueryLimits(timeoutMilliseconds: 100), clock: clock)
        let matchers = [F.matcher("v", .regexMatch, "(a+)+b")]
        #expect(try store.select(matchers, start: 0, end: 0, budget: budget).count == 2)
        clock.advance(by: 100)
        #expect(throws: QueryLimitError.timeout) { try store.select(matchers, start: 0, end: 0, budget: budget) }
        #expect(QueryLimitError.timeout.description == "query timed out in expression evaluation")
    }

    @Test func aLongRegexMatchIsAbandonedAtTheDeadline() throws {
        let store = SeriesStore()
        // Matching is linear, so only a very long value takes long: 1 MB of "a"s.
        let value = String(repeating: "a", count: 1_000_000) + "01"
        try store.append(owner: F.job, [F.gauge("redos", F.sample("redos", ["v": value], 1, at: 0))], now: 0)
        // Every reading is a millisecond later: 50 readings exhaust the budget, most of them taken
        // by the regex engine's interrupt check in the middle of the one match.
        let clock = ProbingClock(step: 1)
        let budget = QueryBudget(limits: QueryLimits(timeoutMilliseconds: 50), clock: clock)
        #expect(throws: QueryLimitError.timeout) {
            try store.select([F.matcher("v", .regexMatch, "(a+)+b")], start: 0, end: 0, budget: budget)
        }
        #expect(clock.reads > 40)
    }

    @Test func chargingSamplesReadsTheClockOnlyEveryFewThousandUnits() throws {
        let clock = ProbingClock()
        let budget = QueryBudget(limits: QueryLimits(timeoutMilliseconds: 10), clock: clock)
        let afterStart = clock.reads
        for _ in 0..<(QueryBudget.unitsPerClockRead - 1) { try budget.charge(samples: 1) }
        #expect(clock.reads == afterStart)
        clock.advance(by: 10)
        #expect(throws: QueryLimitError.timeout) { try budget.charge(samples: 1) }
        #expect(clock.reads == afterStart + 1)
        #expect(budget.samplesLoaded == QueryBudget.unitsPerClockRead)
    }
}
