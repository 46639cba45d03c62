import KlaxonRuntime
import Testing

@testable import KlaxonMetrics

@Suite struct SampleRingTests {
    @Test func keepsTheNewestCapacitySamplesAcrossGrowthAndWrap() {
        var ring = SampleRing(capacity: 5)
        for time in 1...12 {
            let stored = ring.append(Sample(timestamp: Int64(time), value: Double(time)), retention: 100)
            #expect(stored)
        }
        #expect(ring.count == 5)
        #expect(ring.samples(from: .min, through: .max).map(\.timestamp) == [8, 9, 10, 11, 12])
        #expect(ring.latest(from: 0, through: 10) == Sample(timestamp: 10, value: 10))
        #expect(ring.latest(from: 0, through: 7) == nil)
    }

    @Test func refusesOlderSamplesAndReplacesOneAtTheSameTime() {
        var ring = SampleRing(capacity: 3)
        ring.append(Sample(timestamp: 10, value: 1), retention: 100)
        let older = ring.append(Sample(timestamp: 9, value: 2), retention: 100)
        let sameTime = ring.append(Sample(timestamp: 10, value: 3), retention: 100)
        #expect(!older && sameTime)
        #expect(ring.samples(from: .min, through: .max) == [Sample(timestamp: 10, value: 3)])
    }

    @Test func retentionDropsOldSamplesAndAnEmptyRingStartsAfresh() {
        var ring = SampleRing(capacity: 10)
        for time in [0, 5, 10, 15] { ring.append(Sample(timestamp: Int64(time), value: 1), retention: 8) }
        #expect(ring.samples(from: .min, through: .max).map(\.timestamp) == [10, 15])
        ring.dropOlderThan(100)
        #expect(ring.count == 0 && ring.newest == nil)
        // After emptying, an older sample than the dropped ones is accepted again.
        let afresh = ring.append(Sample(timestamp: 1, value: 2), retention: 8)
        #expect(afresh)
        #expect(ring.samples(from: .min, through: .max) == [Sample(timestamp: 1, value: 2)])
    }

    @Test func samplesAtTheSameTimeReplaceTheNewestAcrossChunkBoundaries() {
        var ring = SampleRing(capacity: 1_000)
        for time in 0..<300 {
            ring.append(Sample(timestamp: Int64(time) * 1_000, value: 1), retention: 10_000_000)
            ring.append(Sample(timestamp: Int64(time) * 1_000, value: Double(time)), retention: 10_000_000)
        }
        let expected = (0..<300).map { Sample(timestamp: Int64($0) * 1_000, value: Double($0)) }
        #expect(ring.samples(from: .min, through: .max) == expected)
        #expect(ring.latest(from: 0, through: 150_500) == expected[150])
    }

    /// Random appends, refusals, stale markers, NaN, ±Inf, retention cuts and count caps against a
    /// plain array that does the same the slow way.
    @Test(arguments: [1, 2, 3, 5, 17, 64, 119, 120, 121, 250, 600])
    func matchesAPlainArrayModel(capacity: Int) {
        #expect(RingModelRun(seed: UInt64(capacity), capacity: capacity).firstMismatch() == nil)
    }

    /// The same with most times entered in an owner's table first (as large batches do), batches the
    /// series missed between them, owner changes, and the tables trimmed behind the ring now and then.
    @Test(arguments: [1, 2, 17, 64, 120, 121, 250, 481, 600])
    func matchesAPlainArrayModelWithTabledTimes(capacity: Int) {
        #expect(RingModelRun(seed: UInt64(capacity) &+ 1_000, capacity: capacity, tabled: true).firstMismatch() == nil)
    }

    /// The model test is only worth something if a wrong encoder fails it.
    @Test(arguments: [17, 250])
    func aSeededEncoderBugFailsTheModelTest(capacity: Int) {
        let run = RingModelRun(seed: UInt64(capacity), capacity: capacity, fault: .flipValueBitInNewWindow)
        #expect(run.firstMismatch() != nil)
        let tabled = RingModelRun(
            seed: UInt64(capacity), capacity: capacity, fault: .flipValueBitInNewWindow, tabled: true)
        #expect(tabled.firstMismatch() != nil)
    }

    @Test func readsInsideLongRunsOfRepeatsFindEverySampleInRange() {
        let tables = SampleTimeTables()
        let owner = SeriesOwner.pushGroup(Labels(["job": "engine"]))
        var ring = SampleRing(capacity: 2_000)
        var expected: [Sample] = []
        for second in 0..<1_500 {
            let time = Int64(second) * 1_000 + Int64(second * 7 % 10)
            // A batch of the owner's without this series now and then changes the step; the value
            // changes once in a while.
            if second % 400 == 399 { _ = tables.enter(time - 1, for: owner) }
            let sample = Sample(timestamp: time, value: Double(second / 300))
            ring.append(sample, entry: tables.enter(time, for: owner), retention: 10_000_000, times: tables.view)
            expected.append(sample)
        }
        for (from, through) in [
            (0, 0), (1, 999), (70_000, 70_500), (64_000, 130_009), (479_000, 481_008), (0, 1_600_000),
        ] {
            let inRange = expected.filter { $0.timestamp >= Int64(from) && $0.timestamp <= Int64(through) }
            #expect(ring.samples(from: Int64(from), through: Int64(through), times: tables.view) == inRange)
            #expect(ring.latest(from: Int64(from), through: Int64(through), times: tables.view) == inRange.last)
        }
    }

    @Test func aRingDetachedFromTheTableKeepsItsSamplesOnceTheEntriesAreGone() {
        let table = SampleTimeTables()
        let owner = SeriesOwner.pushGroup(Labels(["job": "engine"]))
        var ring = SampleRing(capacity: 1_000)
        var expected: [Sample] = []
        for second in 0..<300 {
            let time = Int64(second) * 1_000 + Int64(second % 9)
            let entry = table.enter(time, for: owner)
            ring.append(Sample(timestamp: time, value: 2.5), entry: entry, retention: 1_000_000, times: table.view)
            expected.append(Sample(timestamp: time, value: 2.5))
        }
        #expect(ring.usesTable)
        ring.detachFromTable(times: table.view)
        table.dropEntries(before: .max)
        #expect(!ring.usesTable && table.count == 0)
        let later = Sample(timestamp: 400_000, value: 1)
        #expect(ring.samples(from: .min, through: .max, times: table.view) == expected)
        ring.append(later, retention: 1_000_000, times: table.view)
        #expect(ring.samples(from: .min, through: .max, times: table.view) == expected + [later])
    }
}

/// One seeded run of random operations on a ring and on a plain array model.
private struct RingModelRun {
    let seed: UInt64
    let capacity: Int
    var fault = ChunkEncoderFault.none
    /// Enter most times in `SampleTimeTables` and code them against them.
    var tabled = false
    let steps = 3_000

    /// Values a series meets: repeats, small and large numbers, the stale marker, NaN payloads, ±Inf, -0.
    private func value(_ random: inout SplitMix64, previous: Double) -> Double {
        switch random.next(below: 12) {
        case 0: Sample.staleNaN
        case 1: Double.nan
        case 2: Double(bitPattern: 0x7ff8_0000_0000_0000 | random.next() & 0xffff)
        case 3: .infinity
        case 4: -.infinity
        case 5: -0.0
        case 6, 7: previous
        case 8: Double(random.next(below: 100))
        case 9: previous + 0.25
        default: Double(bitPattern: random.next())
        }
    }

    /// The time step: mostly 1 s with a few ms of jitter, sometimes the same time or a step back
    /// (refused), now and then a jump that needs the widest timestamp code.
    private func step(_ random: inout SplitMix64) -> Int64 {
        switch random.next(below: 40) {
        case 0: 0
        case 1: -Int64(random.next(below: 5_000)) - 1
        case 2: Int64(random.next(below: 1 << 40))
        case 3: Int64(random.next(below: 600_000))
        default: 1_000 + Int64(random.next(below: 11)) - 5
        }
    }

    func firstMismatch() -> String? {
        var random = SplitMix64(seed: seed)
        var ring = SampleRing(capacity: capacity, fault: fault)
        var model: [Sample] = []
        var time: Int64 = Int64(random.next(below: 1 << 41))
        var previous = 1.5
        var retention: Int64 = 400_000
        let table = SampleTimeTables()
        for step in 0..<steps {
            let op = random.next(below: 50)
            switch op {
            case 0:
                let cutoff = time - Int64(random.next(below: 300_000))
                ring.dropOlderThan(cutoff, times: table.view)
                model.removeAll { $0.timestamp < cutoff }
            case 1:
                retention = 1 + Int64(random.next(below: 900_000))
            case 2 where tabled:
                // What the store does: recode a ring holding samples older than the cut, then drop entries.
                let cutoff = time - Int64(random.next(below: 600_000))
                if let oldest = ring.oldestTimestamp, oldest < cutoff { ring.detachFromTable(times: table.view) }
                table.dropEntries(before: cutoff)
            default:
                time += self.step(&random)
                previous = value(&random, previous: previous)
                let sample = Sample(timestamp: time, value: previous)
                let entry = tabled ? tableEntry(for: time, in: table, random: &random) : nil
                let accepted = ring.append(sample, entry: entry, retention: retention, times: table.view)
                let expected = model.last.map { sample.timestamp >= $0.timestamp } ?? true
                if accepted != expected { return "step \(step): accepted \(accepted)" }
                if expected {
                    // A sample at the newest's time only replaces it: nothing else is dropped.
                    let replaces = model.last?.timestamp == sample.timestamp
                    if replaces { model.removeLast() }
                    model.append(sample)
                    if model.count > capacity { model.removeFirst(model.count - capacity) }
                    if !replaces { model.removeAll { $0.timestamp < sample.timestamp - retention } }
                } else {
                    time = model.last?.timestamp ?? time
                }
            }
            if let problem = compare(ring, model, random: &random, time: time, times: table.view) {
                return "step \(step): \(problem)"
            }
        }
        return nil
    }

    /// Enters `time` in the owner's table most of the time, sometimes after batches the series missed (so
    /// the table step changes), now and then in another owner's table (the series changed owner), now and
    /// then not at all.
    private func tableEntry(for time: Int64, in table: SampleTimeTables, random: inout SplitMix64) -> TableEntry? {
        let owner = SeriesOwner.pushGroup(Labels(["job": "engine"]))
        switch random.next(below: 100) {
        case 0..<5: return nil
        case 5..<15:
            for other in 0..<random.next(below: 12) { _ = table.enter(time - 12 + Int64(other), for: owner) }
        // Up to the widest table step and past it.
        case 15:
            for other in 0..<random.next(below: 9_000) { _ = table.enter(time - 9_000 + Int64(other), for: owner) }
        case 16..<19: return table.enter(time, for: .scrapeTarget("node-\(random.next(below: 3))"))
        default: break
        }
        return table.enter(time, for: owner)
    }

    private func compare(
        _ ring: SampleRing, _ model: [Sample], random: inout SplitMix64, time: Int64, times: SampleTimes
    )
        -> String?
    {
        guard ring.count == model.count else { return "count \(ring.count), model \(model.count)" }
        guard ring.newest == model.last else { return "newest differs" }
        let from = time - Int64(random.next(below: 900_000))
        let through = from + Int64(random.next(below: 900_000))
        let inRange = model.filter { $0.timestamp >= from && $0.timestamp <= through }
        guard ring.samples(from: from, through: through, times: times) == inRange else {
            return "range [\(from), \(through)]"
        }
        guard ring.latest(from: from, through: through, times: times) == inRange.last else {
            return "latest ≤ \(through)"
        }
        guard ring.samples(from: .min, through: .max, times: times) == model else { return "all samples differ" }
        return nil
    }
}
