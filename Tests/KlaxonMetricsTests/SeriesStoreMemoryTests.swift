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

    @Test func seriesOfALargeBatchShareItsTimeAndReadBackEveryJitteredTimestamp() throws {
        let store = SeriesStore(options: SeriesStoreOptions(retention: 600_000, maxSamplesPerSeries: 600))
        try fill(store, series: 100, seconds: 600)
        let memory = store.statistics.memory
        #expect(memory.sampleCount == 100 * 600 && memory.sampleTimes == 600)
        // Untabled, this workload takes about 1.2 bytes a sample (the test above allows 4).
        #expect(memory.samples * 3 < memory.sampleCount * 2)
        let read = store.select(
            [Fixtures.matcher("symbol", .equal, "S42")], start: 0, end: .max)
        let expected = (0..<600).map { Sample(timestamp: Int64($0) * 1_000 + Int64($0 % 7), value: 42 * 1.25) }
        #expect(read.map(\.samples) == [expected])
    }

    @Test func aRuleGroupsOutputKeepsItsOwnTimesSoPushedSeriesStepRegularly() throws {
        let store = SeriesStore()
        let rules = SeriesOwner.ruleGroup("rules.yml:bench")
        for second in 0..<10 {
            try fill(store, series: 100, seconds: 1, startingAt: second)
            let alerts = (0..<100).map { Fixtures.sample("ALERTS", ["alertname": "A\($0)"], 1) }
            try store.replace(
                owner: rules, with: [Fixtures.family("ALERTS", .gauge, alerts)], now: Int64(second) * 1_000 + 400)
        }
        #expect(store.statistics.memory.sampleTimes == 10)
        let read = store.select([Fixtures.matcher("alertname", .equal, "A5")], start: 0, end: .max)
        #expect(read.first?.samples.map(\.timestamp) == (0..<10).map { Int64($0) * 1_000 + 400 })
    }

    @Test func anotherOwnersLargeBatchesInBetweenCostThePushedSeriesNothing() throws {
        let options = SeriesStoreOptions(retention: 600_000, maxSamplesPerSeries: 600)
        let klaxon = SeriesOwner.internal("self-metrics")
        let selfMetrics = (0..<100).map { Fixtures.sample("klaxon_metric", ["n": "\($0)"], Double($0)) }
        /// Klaxon's own metrics every 5 s, half-way between two pushes, as `SelfMetricsRecorder` writes them.
        func record(into store: SeriesStore, at second: Int) throws {
            try store.replace(
                owner: klaxon, with: [Fixtures.family("klaxon_metric", .gauge, selfMetrics)],
                now: Int64(second) * 1_000 + 500, staleAfter: .max)
        }
        let together = SeriesStore(options: options)
        let pushedAlone = SeriesStore(options: options)
        let recordedAlone = SeriesStore(options: options)
        for second in 0..<600 {
            try fill(together, series: 1_000, seconds: 1, startingAt: second)
            try fill(pushedAlone, series: 1_000, seconds: 1, startingAt: second)
            if second.isMultiple(of: 5) {
                try record(into: together, at: second)
                try record(into: recordedAlone, at: second)
            }
        }
        let apart = pushedAlone.statistics.memory.samples + recordedAlone.statistics.memory.samples
        #expect(together.statistics.memory.samples <= apart + apart / 50)
        let read = together.select([Fixtures.matcher("symbol", .equal, "S42")], start: 0, end: .max)
        let expected = (0..<600).map { Sample(timestamp: Int64($0) * 1_000 + Int64($0 % 7), value: 42 * 1.25) }
        #expect(read.map(\.samples) == [expected])
        let recorded = together.select([Fixtures.matcher("n", .equal, "7")], start: 0, end: .max)
        #expect(recorded.first?.samples.map(\.timestamp) == (0..<120).map { Int64($0) * 5_000 + 500 })
    }

    @Test func aDeletedOwnersTableGoesOnceItsTimesAreTrimmed() throws {
        let store = SeriesStore(options: SeriesStoreOptions(retention: 60_000, maxSamplesPerSeries: 60))
        let gone = SeriesOwner.pushGroup(Labels(["job": "gone"]))
        for second in 0..<30 {
            let samples = (0..<80).map { Fixtures.sample("gone_metric", ["n": "\($0)"], 1) }
            try store.replace(
                owner: gone, with: [Fixtures.family("gone_metric", .gauge, samples)], now: Int64(second) * 1_000 + 300)
        }
        store.delete(owner: gone, now: 30_000)
        try fill(store, series: 100, seconds: 400, startingAt: 31)
        store.expireStale(now: 431_000)
        // Only the engine's times are left: the deleted group's 30 went with its series.
        let kept = store.statistics.memory.sampleTimes
        #expect(kept > 0 && kept <= 2 * 60 + 60 / 8)
        #expect(store.select([Fixtures.matcher("n", .equal, "7")], start: 0, end: .max).isEmpty)
    }

    @Test func theTableForgetsOldTimesAndASeriesLeftIdleKeepsItsSamples() throws {
        let store = SeriesStore(options: SeriesStoreOptions(retention: 60_000, maxSamplesPerSeries: 60))
        let idle = SeriesOwner.internal("idle")
        // 70 series, pushed for 20 s and then never again, by an owner that is never expired.
        for second in 0..<20 {
            let samples = (0..<70).map { Fixtures.sample("idle_metric", ["n": "\($0)"], Double(second)) }
            try store.replace(
                owner: idle, with: [Fixtures.family("idle_metric", .gauge, samples)], now: Int64(second) * 1_000 + 500,
                staleAfter: 10_000_000)
        }
        try fill(store, series: 100, seconds: 400)
        store.expireStale(now: 400_000)
        // Kept: twice the retention and at most an eighth more, of the 420 times entered.
        #expect(store.statistics.memory.sampleTimes <= 2 * 60 + 60 / 8)
        let read = store.select([Fixtures.matcher("n", .equal, "7")], start: 0, end: .max)
        let expected = (0..<20).map { Sample(timestamp: Int64($0) * 1_000 + 500, value: Double($0)) }
        #expect(read.map(\.samples) == [expected])
        // The busy series still read back whole after the table moved on.
        let busy = store.select([Fixtures.matcher("symbol", .equal, "S3")], start: 0, end: .max)
        #expect(busy.first?.samples.count == 60 && busy.first?.samples.last?.timestamp == 399_000 + 399 % 7)
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
