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

    /// The model test is only worth something if a wrong encoder fails it.
    @Test(arguments: [17, 250])
    func aSeededEncoderBugFailsTheModelTest(capacity: Int) {
        let run = RingModelRun(seed: UInt64(capacity), capacity: capacity, fault: .flipValueBitInNewWindow)
        #expect(run.firstMismatch() != nil)
    }
}

/// One seeded run of random operations on a ring and on a plain array model.
private struct RingModelRun {
    let seed: UInt64
    let capacity: Int
    var fault = ChunkEncoderFault.none
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
        for step in 0..<steps {
            switch random.next(below: 50) {
            case 0:
                let cutoff = time - Int64(random.next(below: 300_000))
                ring.dropOlderThan(cutoff)
                model.removeAll { $0.timestamp < cutoff }
            case 1:
                retention = 1 + Int64(random.next(below: 900_000))
            default:
                time += self.step(&random)
                previous = value(&random, previous: previous)
                let sample = Sample(timestamp: time, value: previous)
                let accepted = ring.append(sample, retention: retention)
                let expected = model.last.map { sample.timestamp >= $0.timestamp } ?? true
                if accepted != expected { return "step \(step): accepted \(accepted)" }
                if expected {
                    if model.last?.timestamp == sample.timestamp { model.removeLast() }
                    model.append(sample)
                    if model.count > capacity { model.removeFirst(model.count - capacity) }
                    model.removeAll { $0.timestamp < sample.timestamp - retention }
                } else {
                    time = model.last?.timestamp ?? time
                }
            }
            if let problem = compare(ring, model, random: &random, time: time) { return "step \(step): \(problem)" }
        }
        return nil
    }

    private func compare(_ ring: SampleRing, _ model: [Sample], random: inout SplitMix64, time: Int64) -> String? {
        guard ring.count == model.count else { return "count \(ring.count), model \(model.count)" }
        guard ring.newest == model.last else { return "newest differs" }
        let from = time - Int64(random.next(below: 900_000))
        let through = from + Int64(random.next(below: 900_000))
        let inRange = model.filter { $0.timestamp >= from && $0.timestamp <= through }
        guard ring.samples(from: from, through: through) == inRange else { return "range [\(from), \(through)]" }
        guard ring.latest(from: from, through: through) == inRange.last else { return "latest ≤ \(through)" }
        guard ring.samples(from: .min, through: .max) == model else { return "all samples differ" }
        return nil
    }
}

/// A small deterministic generator, so a failure replays.
private struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
