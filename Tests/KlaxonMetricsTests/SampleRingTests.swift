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

    /// Random appends, refusals and drops against a plain array that does the same the slow way.
    @Test(arguments: [1, 2, 3, 5, 17, 64])
    func matchesAPlainArrayModel(capacity: Int) {
        var random = SplitMix64(seed: UInt64(capacity))
        var ring = SampleRing(capacity: capacity)
        var model: [Sample] = []
        var time: Int64 = 0
        let retention: Int64 = 20
        for step in 0..<4_000 {
            switch random.next(below: 10) {
            case 0:
                let cutoff = time - Int64(random.next(below: 30))
                ring.dropOlderThan(cutoff)
                model.removeAll { $0.timestamp < cutoff }
            default:
                // Mostly forward, sometimes the same time, now and then a step back (refused).
                time += Int64(random.next(below: 4)) - (random.next(below: 20) == 0 ? 5 : 0)
                let sample = Sample(timestamp: time, value: Double(step))
                let accepted = ring.append(sample, retention: retention)
                let expected = model.last.map { sample.timestamp >= $0.timestamp } ?? true
                #expect(accepted == expected, "step \(step)")
                if expected {
                    if model.last?.timestamp == sample.timestamp { model.removeLast() }
                    model.append(sample)
                    if model.count > capacity { model.removeFirst() }
                    model.removeAll { $0.timestamp < sample.timestamp - retention }
                } else {
                    time = model.last?.timestamp ?? time
                }
            }
            let from = time - Int64(random.next(below: 60))
            let through = from + Int64(random.next(below: 60))
            #expect(ring.count == model.count, "step \(step)")
            #expect(ring.newest == model.last, "step \(step)")
            #expect(ring.samples(from: .min, through: .max) == model, "step \(step)")
            let inRange = model.filter { $0.timestamp >= from && $0.timestamp <= through }
            #expect(ring.samples(from: from, through: through) == inRange, "step \(step)")
            #expect(ring.latest(from: from, through: through) == inRange.last, "step \(step)")
            if ring.count != model.count { return }
        }
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
