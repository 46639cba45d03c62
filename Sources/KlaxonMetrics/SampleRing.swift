/// The heap block behind a `SampleRing`'s chunks, freed when the last ring holding it goes.
final class ChunkBytes: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>

    init(capacity: Int) {
        base = .allocate(capacity: capacity)
    }

    deinit {
        base.deallocate()
    }
}

/// A bounded history of samples in time order, oldest dropped first, kept in compressed chunks.
///
/// Every sample but the newest is encoded (`XORChunk`: 120 to 480 to a chunk, delta-of-delta
/// timestamps, XOR'd values); all of a series' chunks lie back to back in one heap block, so a
/// series costs one allocation, not one per chunk. The newest sample stays decoded in this struct:
/// instant queries and `/metrics` read it at no cost, a sample at the same time replaces it without
/// touching the chunks, and an append compares against it without reading the heap. It is encoded
/// when a newer one arrives. Dropping from the front (retention, the count cap) moves a decoder
/// kept at the oldest sample one step, and frees a whole chunk when the decoder leaves it; the
/// block is compacted or regrown only when the newest chunk reaches its end.
///
/// A sample whose time is an entry of one of the store's `SampleTimeTables` is coded as a step in that
/// table (`XORChunk`); every call that decodes takes the tables' current view, and the samples that would
/// stay tabled past an entry a table drops are recoded first (`detachFromTable`).
///
/// Copies share the block (reference semantics). The series store only mutates rings in place,
/// under its lock; a copy is only ever read, under the same lock.
struct SampleRing: @unchecked Sendable {
    private var storage: ChunkBytes?
    /// `storage?.base`, kept here so an append does not load the storage object.
    private var base: UnsafeMutablePointer<UInt8>?
    /// Bytes in `storage` (0 when there is none).
    private var allocated = 0
    /// Byte offset of the oldest chunk (meaningful while `encodedCount > 0`).
    private var first = 0
    /// Byte offset of the chunk being written (meaningful while `encodedCount > 0`).
    private var open = 0
    /// Samples written into the open chunk. Its header is written when it is sealed: until then
    /// readers take its count, length and times from here, so an append writes only its own bits.
    private var openCount = 0
    /// The open chunk's first timestamp.
    private var openFirst: Int64 = 0
    /// The oldest chunk's sample count and payload length, read from its header once when the
    /// oldest sample enters it (meaningful while `first != open`), so dropping a sample reads only
    /// the bits it decodes.
    private var firstCount = 0
    private var firstPayloadBytes = 0
    private var appender = XORAppender()
    /// The decoder positioned at the oldest encoded sample.
    private var oldest = XORCursor()
    /// Samples in the chunks that are still kept (the newest is not among them).
    private var encodedCount = 0
    /// The newest sample, decoded; nil only when the ring is empty.
    private(set) var newest: Sample?
    /// The table entry of the newest sample's time, in two fields (`newestEntry`): the table number
    /// fits beside `newest`'s tag byte, so the ring does not grow. The index is -1 when there is none.
    private var newestTable: UInt16 = 0
    /// True when an encoded sample may be coded as a table step (cleared when none is encoded).
    private(set) var usesTable = false
    private var newestIndex = -1
    /// The table entry of the newest sample's time, nil when it has none.
    private var newestEntry: TableEntry? {
        get { newestIndex >= 0 ? TableEntry(table: Int(newestTable), index: newestIndex) : nil }
        set {
            // An entry the chunk code cannot name is kept as none: the sample codes its own timestamp.
            guard let entry = newValue, entry.index >= 0, entry.table >= 0, entry.table < SampleTimeTables.maxTables
            else {
                newestIndex = -1
                return
            }
            newestTable = UInt16(truncatingIfNeeded: entry.table)
            newestIndex = entry.index
        }
    }
    /// The most samples kept; beyond it the oldest is dropped.
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// A ring whose encoder has `fault`, for the test that proves the model test catches one.
    init(capacity: Int, fault: ChunkEncoderFault) {
        self.init(capacity: capacity)
        appender.fault = fault
    }

    var count: Int { newest == nil ? 0 : encodedCount + 1 }

    /// Heap bytes this ring holds.
    var allocatedBytes: Int { allocated }

    /// The oldest sample's timestamp, nil when the ring is empty.
    var oldestTimestamp: Int64? { encodedCount > 0 ? oldest.timestamp : newest?.timestamp }

    /// The oldest encoded sample's timestamp, nil when only the newest (or nothing) is kept.
    var oldestEncodedTimestamp: Int64? { encodedCount > 0 ? oldest.timestamp : nil }

    /// The offset just past the written bytes (0 when nothing is encoded).
    private var dataEnd: Int {
        encodedCount == 0 ? 0 : open + XORChunk.headerSize + (appender.bits + 7) >> 3
    }

    // MARK: - Writing

    /// Appends a sample no older than the newest; samples older than `newest - retention` are dropped.
    /// `entry` is the table entry holding the sample's time, if any; `times` the tables' view.
    /// Returns false (and stores nothing) when the sample is older than the newest.
    @discardableResult
    mutating func append(
        _ sample: Sample, entry: TableEntry? = nil, retention: Int64, times: SampleTimes = .none
    ) -> Bool {
        guard let last = newest else {
            newest = sample
            newestEntry = entry
            // As for any append: a cutoff that wrapped past the sample (a huge retention) empties the ring.
            dropOlderThan(sample.timestamp &- retention, times: times)
            return true
        }
        if sample.timestamp < last.timestamp { return false }
        if sample.timestamp == last.timestamp {
            newest = sample
            newestEntry = entry
            return true
        }
        encode(last, entry: newestEntry, times: times)
        newest = sample
        newestEntry = entry
        while encodedCount + 1 > capacity { dropOldest(times: times) }
        dropOlderThan(sample.timestamp &- retention, times: times)
        return true
    }

    /// Changes the count cap, dropping the oldest samples beyond a lower one.
    mutating func setCapacity(_ newCapacity: Int, times: SampleTimes = .none) {
        capacity = max(1, newCapacity)
        while count > capacity { dropOldest(times: times) }
    }

    /// Drops samples with a timestamp before `cutoff`; an emptied ring gives its memory back.
    mutating func dropOlderThan(_ cutoff: Int64, times: SampleTimes = .none) {
        while let time = oldestTimestamp, time < cutoff { dropOldest(times: times) }
        if newest == nil {
            storage = nil
            base = nil
            allocated = 0
            encodedCount = 0
            newestEntry = nil
        }
        if encodedCount == 0 { usesTable = false }
    }

    /// Recodes every sample with its own timestamp, so the table may drop any entry; the samples
    /// and the count cap stay as they are.
    mutating func detachFromTable(times: SampleTimes) {
        guard usesTable || newestEntry != nil else { return }
        var fresh = SampleRing(capacity: capacity)
        fresh.appender.fault = appender.fault
        for sample in samples(from: .min, through: .max, times: times) {
            if let last = fresh.newest { fresh.encode(last, entry: nil, times: .none) }
            fresh.newest = sample
        }
        self = fresh
    }

    /// Encodes `sample` after the chunks, starting a chunk when the open one is full.
    private mutating func encode(_ sample: Sample, entry: TableEntry?, times: SampleTimes) {
        let startsChunk =
            encodedCount == 0 || openCount >= XORChunk.maxSamplesPerChunk
            || (openCount >= XORChunk.samplesPerChunk && appender.bits >= 2 * openCount)
        reserve(startsChunk ? XORChunk.headerSize + XORChunk.firstSampleBytes : XORChunk.maxSampleBytes)
        guard let base else { return }
        if startsChunk {
            if encodedCount > 0 {
                // Seal the open chunk: its header now says what it holds.
                XORChunk.writeHeader(
                    at: UnsafeMutableRawPointer(base + open), count: openCount,
                    payloadBytes: (appender.bits + 7) >> 3, firstTimestamp: openFirst,
                    lastTimestamp: appender.timestamp)
            }
            let sealed = open
            open = dataEnd
            openCount = 1
            openFirst = sample.timestamp
            appender.start(sample, entry: entry, payload: base + open + XORChunk.headerSize)
            if encodedCount == 0 {
                first = open
            } else if first == sealed {
                cacheFirstChunk()
            }
        } else {
            appender.append(sample, entry: entry, payload: base + open + XORChunk.headerSize)
            openCount += 1
        }
        if entry != nil { usesTable = true }
        encodedCount += 1
        if encodedCount == 1, let chunk = chunk(at: first, times: times) { oldest = XORCursor(chunk) }
    }

    /// Reads the sealed oldest chunk's count and length from its header.
    private mutating func cacheFirstChunk() {
        guard let base, first != open, let header = XORChunk.header(at: first, in: base, limit: dataEnd) else {
            return
        }
        firstCount = header.count
        firstPayloadBytes = header.payloadBytes
    }

    /// Makes room for `extra` bytes past the written ones: compacts the block when a sixty-fourth of
    /// its front is free, else moves the chunks to a block sized to them plus a thirty-second. The
    /// small margins keep the slack near 3 %: a full ring then moves its bytes down once every few
    /// dozen appends, and a filling one copies them every thirty-second of growth (both cheaper
    /// than the encoding itself).
    private mutating func reserve(_ extra: Int) {
        if encodedCount == 0 {
            first = 0
            open = 0
        }
        let end = dataEnd
        guard end + extra > allocated else { return }
        let live = end - first
        let required = live + extra
        if let base, required <= allocated, first >= allocated / 64 {
            base.update(from: base + first, count: live)
        } else {
            let size = max(64, required + required / 32)
            let larger = ChunkBytes(capacity: size)
            if let base, live > 0 { larger.base.initialize(from: base + first, count: live) }
            storage = larger
            base = larger.base
            allocated = size
        }
        open -= first
        first = 0
    }

    /// Drops the oldest sample (the newest when nothing is encoded).
    private mutating func dropOldest(times: SampleTimes) {
        guard encodedCount > 0 else {
            newest = nil
            return
        }
        encodedCount -= 1
        guard encodedCount > 0, let base else { return }
        if first == open {
            // Every encoded sample is in the open chunk, so the next one is too.
            _ = oldest.advance(in: openChunk(base, times: times))
            return
        }
        let current = ChunkView(
            payload: base + first + XORChunk.headerSize, count: firstCount, bitLimit: firstPayloadBytes &* 8,
            firstTimestamp: 0, times: times)
        if oldest.advance(in: current) { return }
        // The oldest chunk is used up: the next one starts right after it.
        first += XORChunk.headerSize + firstPayloadBytes
        cacheFirstChunk()
        oldest = chunk(at: first, times: times).map { XORCursor($0) } ?? XORCursor()
    }

    /// The open chunk as its header will say once it is sealed.
    private func openChunk(_ base: UnsafeMutablePointer<UInt8>, times: SampleTimes) -> ChunkView {
        ChunkView(
            payload: base + open + XORChunk.headerSize, count: openCount, bitLimit: appender.bits,
            firstTimestamp: openFirst, times: times)
    }

    /// The header of the chunk at `offset` (the open chunk's from this ring's fields), within the
    /// written bytes.
    func header(at offset: Int) -> ChunkHeader? {
        guard encodedCount > 0, let base else { return nil }
        guard offset != open else {
            return ChunkHeader(
                offset: open, count: openCount, payloadBytes: (appender.bits + 7) >> 3, firstTimestamp: openFirst,
                lastTimestamp: appender.timestamp)
        }
        return XORChunk.header(at: offset, in: base, limit: dataEnd)
    }

    /// The chunk whose header is at `offset`, read within the written bytes.
    func chunk(at offset: Int, times: SampleTimes) -> ChunkView? {
        guard let base, let header = header(at: offset) else { return nil }
        return offset == open ? openChunk(base, times: times) : ChunkView(header, base: base, times: times)
    }

    // MARK: - Reading

    /// Calls `body` with each kept chunk's header, oldest first, and for the oldest chunk the decoder
    /// at its first kept sample (nil for the others: they are decoded from their start, which `body`
    /// does only for the chunks it reads), until `body` returns false.
    func forEachChunk(times: SampleTimes, _ body: (ChunkHeader, ChunkView, XORCursor?) -> Bool) {
        guard encodedCount > 0, let base else { return }
        var offset = first
        while let header = header(at: offset) {
            let chunk = offset == open ? openChunk(base, times: times) : ChunkView(header, base: base, times: times)
            guard body(header, chunk, offset == first ? oldest : nil), offset < open else { return }
            offset = header.end
        }
    }
}
