import Testing

@testable import KlaxonMetrics

@Suite struct SeriesStoreMemoryTests {
    private let engine = SeriesOwner.internal("engine")

    /// `series` gauges named like the peers' workload, pushed once a second for `seconds`.
    private func fill(_ store: SeriesStore, series: Int, seconds: Int, startingAt start: Int = 0) throws {
        for second in start..<(start + seconds) {
            let samples = (0..<series).map {
                Fixtures.sample("bench_metric", ["venue": "venue\($0 % 10)", "symbol": "S\($0)"], Double($0) * 1.25)
            }
            try store.replace(
                owner: engine, with: [Fixtures.family("bench_metric", .gauge, samples)],
                now: Int64(second) * 1_000 + Int64(second % 7))
        }
    }

    @Test func countsEverySampleKeptAndStoresSteadySeriesInAFractionOfTheirRawSize() throws {
        let store = SeriesStore(options: SeriesStoreOptions(retention: 600_000, maxSamplesPerSeries: 600))
        try fill(store, series: 50, seconds: 400)
        let memory = store.statistics.memory
        #expect(memory.sampleCount == 50 * 400)
        // A raw sample is 16 bytes (timestamp and value).
        #expect(memory.samples * 4 < memory.sampleCount * MemoryLayout<Sample>.stride)
        #expect(memory.labels > 0 && memory.index > 0)
    }

    @Test func forgottenSeriesGiveTheirSampleAndLabelBytesBack() throws {
        let store = SeriesStore(options: SeriesStoreOptions(retention: 60_000, maxSamplesPerSeries: 60))
        try fill(store, series: 20, seconds: 90)
        let full = store.statistics.memory
        #expect(full.sampleCount == 20 * 60)
        store.delete(owner: engine, now: 90_000)
        store.expireStale(now: 200_000)
        let empty = store.statistics.memory
        #expect(full.samples > 0 && full.labels > 0)
        #expect(empty.samples == 0 && empty.labels == 0 && empty.sampleCount == 0)
        #expect(store.statistics.storedSeries == 0)
    }

    @Test func aLowerRuleHistoryCountsTheSamplesItDrops() throws {
        let store = SeriesStore(options: SeriesStoreOptions(retention: 10_000, maxSamplesPerSeries: 10))
        store.setRuleHistory(100_000)
        try fill(store, series: 5, seconds: 120)
        #expect(store.statistics.memory.sampleCount == 5 * 100)
        store.setRuleHistory(0)
        #expect(store.statistics.memory.sampleCount == 5 * 10)
    }
}
