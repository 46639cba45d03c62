import KlaxonMetrics
import Testing

@Suite struct SeriesStoreTests {
    typealias F = Fixtures

    @Test func replaceSwapsTheOwnersWholeContentAndMarksVanishedSeriesStale() throws {
        let store = SeriesStore()
        try store.replace(
            owner: F.job,
            with: [
                F.gauge("a", F.sample("a", ["job": "engine"], 1)), F.gauge("b", F.sample("b", ["job": "engine"], 2)),
            ], now: 1_000)
        try store.replace(owner: F.job, with: [F.gauge("a", F.sample("a", ["job": "engine"], 3))], now: 2_000)

        #expect(F.text(store) == "# TYPE a gauge\na{job=\"engine\"} 3\n")
        let history = store.select([F.matcher("__name__", .equal, "b")], start: 0, end: 10_000)
        #expect(history.count == 1)
        #expect(history.first?.samples.map(\.value.bitPattern) == [(2.0).bitPattern, Sample.staleNaN.bitPattern])
        #expect(history.first?.samples.last?.timestamp == 2_000)
    }

    @Test func replaceFamiliesKeepsTheOwnersOtherFamilies() throws {
        let store = SeriesStore()
        try store.replace(
            owner: F.job,
            with: [
                F.gauge("a", F.sample("a", ["x": "1"], 1), F.sample("a", ["x": "2"], 1)),
                F.gauge("b", F.sample("b", 2)),
            ], now: 1_000)
        try store.replaceFamilies(owner: F.job, with: [F.gauge("a", F.sample("a", ["x": "1"], 5))], now: 2_000)

        #expect(F.text(store) == "# TYPE a gauge\na{x=\"1\"} 5\n# TYPE b gauge\nb 2\n")
        let stale = store.selectLatest([F.matcher("x", .equal, "2")], start: 0, end: 3_000)
        #expect(stale.first?.sample.isStaleMarker == true)
    }

    @Test func appendKeepsOtherSeriesAndAddsHistory() throws {
        let store = SeriesStore()
        try store.append(owner: F.job, [F.gauge("a", F.sample("a", 1, at: 100), F.sample("a", 2, at: 200))], now: 1_000)
        try store.append(owner: F.job, [F.gauge("b", F.sample("b", 7))], now: 1_000)

        let history = store.select([F.matcher("__name__", .equal, "a")], start: 0, end: 1_000)
        #expect(history.first?.samples == [Sample(timestamp: 100, value: 1), Sample(timestamp: 200, value: 2)])
        #expect(F.text(store) == "# TYPE a gauge\na 2 200\n# TYPE b gauge\nb 7\n")
    }

    @Test func deleteMarksEverySeriesOfTheOwnerStale() throws {
        let store = SeriesStore()
        try store.replace(owner: F.job, with: [F.gauge("a", F.sample("a", 1))], now: 1_000)
        try store.replace(owner: F.other, with: [F.gauge("a", F.sample("a", ["job": "other"], 1))], now: 1_000)
        store.delete(owner: F.job, now: 1_500)

        #expect(F.text(store) == "# TYPE a gauge\na{job=\"other\"} 1\n")
        let latest = store.selectLatest([F.matcher("__name__", .equal, "a")], start: 0, end: 2_000)
        #expect(latest.map(\.sample.isStaleMarker) == [true, false])
    }

    @Test func expireStaleRemovesOwnersPastTheirStaleAfter() throws {
        let store = SeriesStore()
        try store.replace(owner: F.job, with: [F.gauge("a", F.sample("a", 1))], now: 0, staleAfter: 10_000)
        try store.replace(owner: F.other, with: [F.gauge("b", F.sample("b", 1))], now: 0)

        #expect(store.expireStale(now: 9_999).isEmpty)
        #expect(store.expireStale(now: 10_000) == [F.job])
        #expect(F.text(store) == "# TYPE b gauge\nb 1\n")
        let latest = store.selectLatest([F.matcher("__name__", .equal, "a")], start: 0, end: 20_000)
        #expect(latest.first?.sample == Sample(timestamp: 10_000, value: Sample.staleNaN))
        #expect(store.expireStale(now: 300_000) == [F.other])
    }

    @Test func staleHistoryIsForgottenAfterTheRetention() throws {
        let store = SeriesStore(options: SeriesStoreOptions(retention: 60_000))
        try store.replace(owner: F.job, with: [F.gauge("a", F.sample("a", 1))], now: 0)
        store.delete(owner: F.job, now: 1_000)
        store.expireStale(now: 30_000)
        #expect(store.statistics.storedSeries == 1)
        store.expireStale(now: 61_001)
        #expect(store.statistics.storedSeries == 0)
        #expect(store.select([F.matcher("__name__", .equal, "a")], start: 0, end: .max).isEmpty)
    }

    @Test func seriesLimitRefusesTheWholeBatchAndCountsIt() throws {
        let store = SeriesStore(options: SeriesStoreOptions(maxSeries: 3))
        try store.replace(
            owner: F.job, with: [F.gauge("a", F.sample("a", ["i": "1"], 1), F.sample("a", ["i": "2"], 1))], now: 0)
        let before = F.text(store)

        let error = #expect(throws: SeriesStoreError.self) {
            try store.replace(
                owner: F.other, with: [F.gauge("b", F.sample("b", ["i": "1"], 1), F.sample("b", ["i": "2"], 1))], now: 1
            )
        }
        #expect(error?.kind == .seriesLimit)
        #expect(error?.description.contains("limit of 3") == true)
        #expect(error?.description.contains("to 4") == true)
        // It says what one more series costs, from what the stored ones cost on average.
        let memory = store.statistics.memory
        let each = SeriesStoreError.byteText(memory.total / 2)
        #expect(error?.description.contains("each series costs about \(each) of memory") == true)
        #expect(F.text(store) == before)
        #expect(store.statistics.refusedBatches == 1)
        // Replacing its own series does not grow the count, so the owner can still update.
        try store.replace(
            owner: F.job, with: [F.gauge("a", F.sample("a", ["i": "3"], 1), F.sample("a", ["i": "4"], 1))], now: 2)
        #expect(store.statistics.liveSeries == 2)
    }

    @Test func typeConflictWithAnotherOwnerNamesTheFamily() throws {
        let store = SeriesStore()
        try store.replace(owner: F.job, with: [F.gauge("queue_depth", F.sample("queue_depth", 1))], now: 0)
        let error = #expect(throws: SeriesStoreError.self) {
            try store.replace(
                owner: F.other,
                with: [F.family("queue_depth", .counter, [F.sample("queue_depth", ["job": "other"], 1)])], now: 1)
        }
        #expect(error?.kind == .typeConflict)
        #expect(error?.description.contains("queue_depth") == true)
        // The owner itself may change the type when it replaces the family.
        try store.replace(
            owner: F.job, with: [F.family("queue_depth", .counter, [F.sample("queue_depth_total", 2)])], now: 2)
        #expect(F.text(store) == "# TYPE queue_depth_total counter\nqueue_depth_total 2\n")
    }

    @Test func sampleNameClashingWithAnotherFamilysSeriesIsRefused() throws {
        let store = SeriesStore()
        let histogram = F.family(
            "latency", .histogram,
            [
                F.sample("latency_bucket", ["le": "+Inf"], 1), F.sample("latency_sum", 0.5),
                F.sample("latency_count", 1),
            ])
        try store.replace(owner: F.job, with: [histogram], now: 0)
        let error = #expect(throws: SeriesStoreError.self) {
            try store.replace(
                owner: F.other, with: [F.gauge("latency_count", F.sample("latency_count", ["job": "other"], 3))], now: 1
            )
        }
        #expect(error?.kind == .nameClash)
        #expect(error?.description.contains("latency") == true)
    }

    @Test func aFailedBatchAppliesNothing() throws {
        let store = SeriesStore()
        try store.replace(owner: F.job, with: [F.gauge("a", F.sample("a", 1))], now: 0)
        let bad = [F.gauge("a", F.sample("a", 2)), F.gauge("b", F.sample("c", 3))]
        let error = #expect(throws: SeriesStoreError.self) { try store.replace(owner: F.job, with: bad, now: 1) }
        #expect(error?.kind == .sampleOutsideFamily)
        #expect(F.text(store) == "# TYPE a gauge\na 1\n")
    }

    @Test func theSameSeriesFromTwoOwnersIsRefused() throws {
        let store = SeriesStore()
        try store.replace(owner: F.job, with: [F.gauge("a", F.sample("a", ["k": "v"], 1))], now: 0)
        let error = #expect(throws: SeriesStoreError.self) {
            try store.replace(owner: F.other, with: [F.gauge("a", F.sample("a", ["k": "v"], 2))], now: 1)
        }
        #expect(error?.kind == .seriesOwnedElsewhere)
    }

    @Test(arguments: [
        ("bad name", "bad name", [String: String]()),
        ("ok", "ok", ["__reserved": "x"]),
        ("ok", "ok", ["1abc": "x"]),
    ])
    func invalidNamesAreRefused(family: String, sample: String, labels: [String: String]) {
        let store = SeriesStore()
        let error = #expect(throws: SeriesStoreError.self) {
            try store.replace(owner: F.job, with: [F.gauge(family, F.sample(sample, labels, 1))], now: 0)
        }
        #expect(error?.kind == .invalidName)
    }

    @Test func duplicateSeriesInOneReplaceIsRefused() {
        let store = SeriesStore()
        let error = #expect(throws: SeriesStoreError.self) {
            try store.replace(owner: F.job, with: [F.gauge("a", F.sample("a", 1), F.sample("a", 2))], now: 0)
        }
        #expect(error?.kind == .duplicateSeries)
    }

    @Test func ringBufferKeepsOnlyTheNewestSamples() throws {
        let store = SeriesStore(options: SeriesStoreOptions(maxSamplesPerSeries: 3))
        for step in 1...5 {
            try store.append(owner: F.job, [F.gauge("a", F.sample("a", Double(step)))], now: Int64(step) * 1_000)
        }
        let samples = store.select([F.matcher("__name__", .equal, "a")], start: 0, end: .max).first?.samples
        #expect(samples?.map(\.value) == [3, 4, 5])
        #expect(store.selectLatest([F.matcher("__name__", .equal, "a")], start: 0, end: 3_500).first?.sample.value == 3)
    }

    @Test func retentionDropsOldSamplesAfterTheRingHasWrapped() throws {
        let store = SeriesStore(options: SeriesStoreOptions(retention: 2_500, maxSamplesPerSeries: 4))
        let selector = [F.matcher("__name__", .equal, "a")]
        func values() -> [Double]? { store.select(selector, start: 0, end: .max).first?.samples.map(\.value) }
        for step in 1...5 {
            try store.append(owner: F.job, [F.gauge("a", F.sample("a", Double(step)))], now: Int64(step) * 1_000)
        }
        // Capacity 4 dropped 1 s; retention (cutoff 2.5 s) dropped 2 s.
        #expect(values() == [3, 4, 5])
        try store.append(owner: F.job, [F.gauge("a", F.sample("a", 8))], now: 8_000)
        #expect(values() == [8])
        try store.append(owner: F.job, [F.gauge("a", F.sample("a", 9))], now: 9_000)
        #expect(values() == [8, 9])
    }

    @Test func olderSamplesThanTheNewestAreDroppedAndCounted() throws {
        let store = SeriesStore()
        try store.append(owner: F.job, [F.gauge("a", F.sample("a", 1, at: 500))], now: 1_000)
        try store.append(owner: F.job, [F.gauge("a", F.sample("a", 2, at: 400))], now: 1_000)
        #expect(store.statistics.outOfOrderSamples == 1)
        #expect(store.selectLatest([F.matcher("__name__", .equal, "a")], start: 0, end: 1_000).first?.sample.value == 1)
    }

    @Test func eachSnapshotShowsTheChangesSinceTheLast() throws {
        let store = SeriesStore()
        try store.replace(
            owner: F.job,
            with: [
                F.gauge("a", F.sample("a", ["x": "2"], 1), F.sample("a", ["x": "4"], 1)),
                F.gauge("b", F.sample("b", 2)),
            ],
            now: 1_000)
        #expect(F.text(store) == "# TYPE a gauge\na{x=\"2\"} 1\na{x=\"4\"} 1\n# TYPE b gauge\nb 2\n")

        // New values only.
        try store.replace(
            owner: F.job,
            with: [
                F.gauge("a", F.sample("a", ["x": "2"], 5), F.sample("a", ["x": "4"], 6)),
                F.gauge("b", F.sample("b", 7)),
            ],
            now: 2_000)
        #expect(F.text(store) == "# TYPE a gauge\na{x=\"2\"} 5\na{x=\"4\"} 6\n# TYPE b gauge\nb 7\n")

        // A member joins in the middle, one leaves, a family goes; the help text changes.
        try store.replace(
            owner: F.job,
            with: [F.gauge("a", help: "A.", F.sample("a", ["x": "3"], 8, at: 1_500), F.sample("a", ["x": "4"], 9))],
            now: 3_000)
        #expect(F.text(store) == "# HELP a A.\n# TYPE a gauge\na{x=\"3\"} 8 1500\na{x=\"4\"} 9\n")

        // Another owner's member joins the family; then the first owner leaves.
        try store.replace(owner: F.other, with: [F.gauge("a", F.sample("a", ["x": "1"], 10))], now: 4_000)
        #expect(F.text(store) == "# HELP a A.\n# TYPE a gauge\na{x=\"1\"} 10\na{x=\"3\"} 8 1500\na{x=\"4\"} 9\n")
        store.delete(owner: F.job, now: 5_000)
        #expect(F.text(store) == "# HELP a A.\n# TYPE a gauge\na{x=\"1\"} 10\n")

        // A series that went stale comes back, as a counter now that its old family is gone.
        store.delete(owner: F.other, now: 6_000)
        #expect(F.text(store) == "")
        try store.replace(owner: F.job, with: [F.family("a", .counter, [F.sample("a", ["x": "4"], 11)])], now: 7_000)
        #expect(F.text(store) == "# TYPE a counter\na{x=\"4\"} 11\n")
        #expect(F.text(store, .openMetrics) == "# TYPE a counter\na_total{x=\"4\"} 11.0\n# EOF\n")
    }

    @Test func aLiveSeriesWhoseNewestSampleIsTheStaleMarkerIsLeftOut() throws {
        let store = SeriesStore()
        try store.replace(
            owner: F.job, with: [F.gauge("a", F.sample("a", 1)), F.gauge("b", F.sample("b", 2))], now: 1_000)
        #expect(F.text(store) == "# TYPE a gauge\na 1\n# TYPE b gauge\nb 2\n")
        try store.replace(owner: F.job, with: [F.gauge("b", F.sample("b", 3))], now: 2_000)
        // `a` is live again, but its sample is older than its stale marker and is dropped.
        try store.replace(
            owner: F.job, with: [F.gauge("a", F.sample("a", 4, at: 1_500)), F.gauge("b", F.sample("b", 5))], now: 3_000)
        #expect(F.text(store) == "# TYPE b gauge\nb 5\n")
        #expect(store.statistics.liveSeries == 2)
        #expect(store.statistics.outOfOrderSamples == 1)
    }

    @Test func repeatedReplaceOfTheSameSeriesKeepsOneSeriesEach() throws {
        let store = SeriesStore()
        let owner = SeriesOwner.pushGroup(Labels(["job": "bench"]))
        for step in 1...3 {
            let samples = (0..<50).map { F.sample("m", ["i": String($0), "Z": "u"], Double(step * 100 + $0)) }
            try store.replace(owner: owner, with: [F.family("m", .gauge, samples)], now: Int64(step) * 1_000)
        }
        let statistics = store.statistics
        #expect(statistics.liveSeries == 50 && statistics.storedSeries == 50 && statistics.outOfOrderSamples == 0)
        let latest = store.selectLatest([F.matcher("i", .equal, "7")], start: 0, end: .max)
        #expect(latest.map(\.labels) == [Labels(["Z": "u", "__name__": "m", "i": "7"])])
        #expect(latest.first?.sample == Sample(timestamp: 3_000, value: 307))
        #expect(F.text(store).contains("m{Z=\"u\",i=\"7\",instance=\"\"} 307\n"))
    }

    @Test func pushGroupsExposeAnEmptyInstanceUntilAnotherOwnerTakesTheSeries() throws {
        let store = SeriesStore()
        let group = SeriesOwner.pushGroup(Labels(["job": "j"]))
        let families = [
            F.family("c", .counter, [F.sample("c", ["job": "j"], 1)]),
            F.gauge("g", F.sample("g", ["instance": "h", "job": "j"], 2), F.sample("g", ["job": "j", "z": "1"], 3)),
        ]
        try store.replace(owner: group, with: families, now: 1_000)
        #expect(
            F.text(store)
                == "# TYPE c counter\nc{instance=\"\",job=\"j\"} 1\n# TYPE g gauge\ng{instance=\"h\",job=\"j\"} 2\n"
                + "g{instance=\"\",job=\"j\",z=\"1\"} 3\n")
        let openMetrics = String(
            decoding: ExpositionWriter.render(store.snapshot(), format: .openMetrics), as: UTF8.self)
        #expect(openMetrics.contains("c_total{instance=\"\",job=\"j\"} 1"))
        // Within Klaxon the label stays absent, as in Prometheus after an honor_labels scrape.
        #expect(store.selectLatest([F.matcher("instance", .equal, "")], start: 0, end: .max).count == 2)
        store.delete(owner: group, now: 2_000)
        try store.replace(owner: F.job, with: [F.family("c", .counter, [F.sample("c", ["job": "j"], 4)])], now: 3_000)
        #expect(F.text(store) == "# TYPE c counter\nc{job=\"j\"} 4\n")
    }

    @Test func aBatchInAnotherOrderOrWithOtherSeriesUpdatesTheRightSeries() throws {
        let store = SeriesStore()
        let a1 = F.sample("a", ["x": "1"], 1)
        try store.replace(owner: F.job, with: [F.gauge("a", a1, F.sample("a", ["x": "2"], 2))], now: 1_000)
        try store.replace(
            owner: F.job, with: [F.gauge("a", F.sample("a", ["x": "2"], 20), F.sample("a", ["x": "1"], 10))], now: 2_000
        )
        #expect(F.text(store) == "# TYPE a gauge\na{x=\"1\"} 10\na{x=\"2\"} 20\n")
        try store.replace(
            owner: F.job,
            with: [F.gauge("a", F.sample("a", ["x": "3"], 30), F.sample("a", ["x": "1", "y": "1"], 11))], now: 3_000)
        #expect(F.text(store) == "# TYPE a gauge\na{x=\"1\",y=\"1\"} 11\na{x=\"3\"} 30\n")
        try store.replace(owner: F.job, with: [F.gauge("a", F.sample("a", ["x": "3"], 31), a1)], now: 4_000)
        #expect(F.text(store) == "# TYPE a gauge\na{x=\"1\"} 1\na{x=\"3\"} 31\n")
        let twice = F.gauge("a", F.sample("a", ["x": "3"], 1), F.sample("a", ["x": "3"], 2))
        let error = #expect(throws: SeriesStoreError.self) {
            try store.replace(owner: F.job, with: [twice], now: 5_000)
        }
        #expect(error?.kind == .duplicateSeries)
        #expect(F.text(store) == "# TYPE a gauge\na{x=\"1\"} 1\na{x=\"3\"} 31\n")
    }
}
