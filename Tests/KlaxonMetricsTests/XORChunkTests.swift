import Testing

@testable import KlaxonMetrics

@Suite struct XORChunkTests {
    /// Encodes `samples` into one chunk the way the ring does and decodes it back.
    /// `entries[i]`, when given, is the table entry of sample `i`'s time; `times` the tables decoded with.
    private func roundTrip(_ samples: [Sample], entries: [TableEntry?] = [], times: SampleTimes = .none)
        -> (decoded: [Sample], bytes: Int)
    {
        let size = XORChunk.headerSize + 8 + samples.count * XORChunk.maxSampleBytes
        let base = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { base.deallocate() }
        var appender = XORAppender()
        guard let first = samples.first, let last = samples.last else { return ([], 0) }
        let entry = { (position: Int) -> TableEntry? in position < entries.count ? entries[position] : nil }
        appender.start(first, entry: entry(0), payload: base + XORChunk.headerSize)
        for (position, sample) in samples.enumerated().dropFirst() {
            appender.append(sample, entry: entry(position), payload: base + XORChunk.headerSize)
        }
        let payload = (appender.bits + 7) / 8
        XORChunk.writeHeader(
            at: UnsafeMutableRawPointer(base), count: samples.count, payloadBytes: payload,
            firstTimestamp: first.timestamp, lastTimestamp: last.timestamp)
        let bytes = XORChunk.headerSize + payload
        let decoded = XORChunk.decodeAll(UnsafeRawBufferPointer(start: base, count: bytes), times: times)
        return (decoded, bytes)
    }

    @Test func staleMarkersNaNPayloadsInfinitiesAndNegativeZeroComeBackBitExact() {
        let values: [Double] = [
            1, Sample.staleNaN, .nan, Double(bitPattern: 0x7ff8_0000_0000_beef), .infinity, -.infinity, -0.0, 0,
            Sample.staleNaN, 1e308, -Double.leastNonzeroMagnitude, 42.125,
        ]
        let samples = values.enumerated().map {
            Sample(timestamp: 1_700_000_000_000 + Int64($0.offset) * 997, value: $0.element)
        }
        let decoded = roundTrip(samples).decoded
        #expect(decoded == samples)
        #expect(decoded[1].isStaleMarker && !decoded[2].isStaleMarker)
    }

    @Test(arguments: [
        Int64(0), 1, 8, -7, 9, -8, 64, -63, 65, -64, 8_192, -8_191, 8_193, 524_288, 524_289, -524_288, 1 << 40,
    ])
    func everyTimestampStepWidthRoundTrips(step: Int64) {
        var time: Int64 = 1_000_000
        var samples: [Sample] = []
        for index in 0..<6 {
            samples.append(Sample(timestamp: time, value: Double(index)))
            time += 1_000 + (index.isMultiple(of: 2) ? step : 0)
        }
        #expect(roundTrip(samples).decoded == samples)
    }

    @Test func extremeTimestampsWrapAndComeBack() {
        let samples = [
            Sample(timestamp: .min, value: 1), Sample(timestamp: -1, value: 2), Sample(timestamp: 0, value: 3),
            Sample(timestamp: .max - 1, value: 4), Sample(timestamp: .max, value: 5),
        ]
        #expect(roundTrip(samples).decoded == samples)
    }

    @Test func aSteadyOneSecondSeriesWithArrivalJitterTakesUnderTwoBytesASample() {
        var time: Int64 = 1_700_000_000_000
        var samples: [Sample] = []
        var jitter = 0
        for _ in 0..<XORChunk.samplesPerChunk {
            samples.append(Sample(timestamp: time, value: 1_234.5678))
            jitter = (jitter * 7 + 3) % 11
            time += 995 + Int64(jitter)
        }
        let result = roundTrip(samples)
        #expect(result.decoded == samples)
        #expect(Double(result.bytes) / Double(samples.count) < 2)
    }

    private let pusher = SeriesOwner.pushGroup(Labels(["job": "engine"]))
    private let scraped = SeriesOwner.scrapeTarget("http://127.0.0.1:9100/metrics")

    @Test func tabledTimesCostABitASampleWhateverTheJitterAndNeedTheirTable() {
        let tables = SampleTimeTables()
        var samples: [Sample] = []
        var entries: [TableEntry?] = []
        var time: Int64 = 1_700_000_000_000
        for second in 0..<XORChunk.samplesPerChunk {
            time += 995 + Int64(second * 7 % 11)
            samples.append(Sample(timestamp: time, value: 1_234.5678))
            entries.append(tables.enter(time, for: pusher))
            // Another owner's batch between this series' samples: its own table, not this one.
            _ = tables.enter(time + 3, for: scraped)
        }
        let tabled = roundTrip(samples, entries: entries, times: tables.view)
        let untabled = roundTrip(samples)
        #expect(tabled.decoded == samples && untabled.decoded == samples)
        // Header, first value and table number, then a bit a sample.
        #expect(tabled.bytes <= XORChunk.headerSize + XORChunk.firstSampleBytes + samples.count / 8 + 1)
        #expect(tabled.bytes * 2 < untabled.bytes)
        #expect(roundTrip(samples, entries: entries, times: .none).decoded.isEmpty)
    }

    @Test func aChunkLeavesTheTableAtAnUntabledSampleOrAStepTooWideAndKeepsEveryTime() {
        let tables = SampleTimeTables()
        var samples: [Sample] = []
        var entries: [TableEntry?] = []
        var time: Int64 = 5_000
        // Steps of 1, 2, 9 and 9 000 entries, then a sample without one, then tabled ones again.
        for (position, skipped) in [0, 0, 1, 8, 0, 8_999, 0, -1, 0, 0].enumerated() {
            for _ in 0..<max(0, skipped) {
                time += 1
                _ = tables.enter(time, for: pusher)
            }
            time += 1_000
            samples.append(Sample(timestamp: time, value: Double(position)))
            entries.append(skipped < 0 ? nil : tables.enter(time, for: pusher))
        }
        #expect(roundTrip(samples, entries: entries, times: tables.view).decoded == samples)
    }

    @Test func aSampleFromAnotherOwnersTableEndsTheChainAndKeepsEveryTime() {
        let tables = SampleTimeTables()
        var samples: [Sample] = []
        var entries: [TableEntry?] = []
        var time: Int64 = 9_000
        // The series changes owner half-way: its later times are in the new owner's table.
        for position in 0..<20 {
            time += 1_000 + Int64(position % 3)
            samples.append(Sample(timestamp: time, value: 7))
            entries.append(tables.enter(time, for: position < 10 ? pusher : scraped))
        }
        #expect(entries.first??.table != entries.last??.table)
        #expect(roundTrip(samples, entries: entries, times: tables.view).decoded == samples)
    }

    @Test func truncatedAndCorruptedChunksDecodeAPrefixWithoutReadingPastTheBytes() {
        let samples = (0..<50).map { Sample(timestamp: Int64($0) * 1_003, value: Double($0) * 1.1) }
        let size = XORChunk.headerSize + 8 + samples.count * XORChunk.maxSampleBytes
        let base = UnsafeMutablePointer<UInt8>.allocate(capacity: size)
        defer { base.deallocate() }
        var appender = XORAppender()
        appender.start(samples[0], payload: base + XORChunk.headerSize)
        for sample in samples.dropFirst() { appender.append(sample, payload: base + XORChunk.headerSize) }
        let payload = (appender.bits + 7) / 8
        XORChunk.writeHeader(
            at: UnsafeMutableRawPointer(base), count: samples.count, payloadBytes: payload,
            firstTimestamp: 0, lastTimestamp: samples[49].timestamp)
        for cut in stride(from: 0, through: XORChunk.headerSize + payload, by: 7) {
            let decoded = XORChunk.decodeAll(UnsafeRawBufferPointer(start: base, count: cut))
            #expect(decoded.isEmpty, "a chunk cut at \(cut) bytes claims more payload than it has")
        }
        // A header claiming fewer payload bytes than written stops the decoding early.
        XORChunk.writeHeader(
            at: UnsafeMutableRawPointer(base), count: samples.count, payloadBytes: payload / 2,
            firstTimestamp: 0, lastTimestamp: samples[49].timestamp)
        let partial = XORChunk.decodeAll(UnsafeRawBufferPointer(start: base, count: XORChunk.headerSize + payload))
        #expect(!partial.isEmpty && partial.count < samples.count)
        #expect(Array(samples.prefix(partial.count)) == partial)
    }
}
