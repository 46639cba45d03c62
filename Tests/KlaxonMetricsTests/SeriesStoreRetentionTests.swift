import Testing

@testable import KlaxonMetrics

@Suite struct SeriesStoreRetentionTests {
    private let engine = SeriesOwner.internal("engine")

    /// Pushes `queue_depth` once a second from `from` through `through` seconds.
    private func push(_ store: SeriesStore, seconds: ClosedRange<Int>) throws {
        for second in seconds {
            let now = Int64(second) * 1_000
            let family = Fixtures.gauge("queue_depth", Fixtures.sample("queue_depth", Double(second)))
            try store.append(owner: engine, [family], now: now)
        }
    }

    private func keptSeconds(_ store: SeriesStore) -> [Int64] {
        store.select([], start: .min, end: .max).first?.samples.map { $0.timestamp / 1_000 } ?? []
    }

    @Test func rulesThatReadFurtherBackThanTheRetentionKeepMoreHistory() throws {
        let store = SeriesStore(options: SeriesStoreOptions(retention: 10_000, maxSamplesPerSeries: 10))
        try push(store, seconds: 1...30)
        // 10 s and at most 10 samples.
        #expect(keptSeconds(store) == Array(21...30))
        store.setRuleHistory(20_000)
        #expect(store.retentionInEffect == 20_000)
        try push(store, seconds: 31...60)
        // 20 s of history, and the count cap grew with it (one sample a second, as configured).
        #expect(keptSeconds(store) == Array(41...60))
    }

    @Test func rulesThatReadLessThanTheRetentionChangeNothingAndALowerNeedShrinksBack() throws {
        let store = SeriesStore(options: SeriesStoreOptions(retention: 10_000, maxSamplesPerSeries: 10))
        store.setRuleHistory(30_000)
        try push(store, seconds: 1...40)
        #expect(keptSeconds(store) == Array(11...40))
        store.setRuleHistory(2_000)
        #expect(store.retentionInEffect == 10_000)
        // The lower count cap drops the oldest at once; the retention on the next append.
        #expect(keptSeconds(store).count == 10)
        try push(store, seconds: 41...41)
        #expect(keptSeconds(store) == Array(32...41))
    }
}
