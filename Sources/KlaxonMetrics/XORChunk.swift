/// The layout of one compressed chunk of samples, the encoding Prometheus's TSDB head uses
/// (Gorilla: timestamps as delta-of-delta, values XOR'd with the previous value), with timestamps
/// shared through a `SampleTimeTable` when a large batch wrote them.
///
/// A chunk is a 20-byte header and a bit stream:
/// ```
/// count: UInt16 LE | payload bytes: UInt16 LE | first timestamp: Int64 LE | last timestamp: Int64 LE
/// payload: first value (64 bits), a bit saying whether the first time is in a table (then the table's
///          number, 16 bits: `SampleTimeTables`), then for each further sample a timestamp and a value code
/// ```
/// Both timestamps sit in the header so a reader skips a chunk, or finds the one holding a time,
/// without decoding it. A timestamp has one of two codes, chosen by whether the previous sample was
/// tabled (its time was a table entry the encoder was given, and the chain of table steps is unbroken):
///
/// - Untabled: the delta-of-delta `dod` (the first delta counts from 0): `0` when it is 0; `10` + 4 bits
///   for −7…8; `110` + 7 bits for −63…64; `1110` + 14 bits for −8191…8192; `11110` + 20 bits for
///   −524287…524288; `11111` + 64 bits otherwise. Prometheus's first step is 14 bits, fit for scrapes its
///   own scheduler stamps; pushed samples are stamped on arrival, so a 1 s series jitters by a few
///   milliseconds, which the 4- and 7-bit steps hold at a third to half the cost.
/// - Tabled: the step in the chunk's table minus the previous step, `idod`, with the value: `0` when `idod`
///   is 0 and the value is unchanged (a steady series written by every large batch of its owner: one bit a
///   sample, whatever the jitter); `10` + a changed-value code when `idod` is 0; `110` + a sign bit for
///   `idod` ±1 (the series missed one of its owner's batches, or stopped missing one), `1110` + 4 bits for
///   −7…8 and `11110` + 14 bits for −8191…8192, each + a value code; `11111` + an untabled code and a value
///   code, after which the chunk stays untabled (also when a sample's time is in another table: the series
///   changed owner).
///
/// The value code is Prometheus's: `0` for an equal value; `10` + the meaningful bits inside the previous
/// window; `11` + 5 bits of leading zeros + 6 bits of meaningful length (64 as 0) + the meaningful bits.
/// A changed-value code is the same without its leading `1`.
/// Values are compared as bit patterns, so NaN payloads and the stale marker come back bit-exact. All
/// timestamp arithmetic wraps, so any Int64 sequence round-trips and no input can trap the decoder; a
/// table step the decoder's table does not hold ends the chunk as malformed bits do.
package enum XORChunk {
    /// Samples per chunk before a new one starts (Prometheus's head cuts at 120 too), unless the chunk
    /// averages under 2 bits a sample.
    static let samplesPerChunk = 120
    /// Samples per chunk at most: a chunk averaging under 2 bits a sample (tabled times and steady
    /// values: mostly one-bit repeats, which readers skip a word at a time) grows up to this, since at
    /// 120 its header and first value would be over half its bytes.
    static let maxSamplesPerChunk = 480
    static let headerSize = 20
    /// Payload bytes a chunk's first sample takes: its value, the tabled bit and a table number.
    static let firstSampleBytes = 11
    /// Bits of a table number in a chunk's first sample.
    static let tableNumberBits = 16
    /// The most payload bytes one sample can take: a 74-bit timestamp and a 77-bit value code.
    static let maxSampleBytes = 19

    /// The header fields of the chunk at `offset`, or nil when it does not fit in `limit` bytes.
    static func header(at offset: Int, in base: UnsafeRawPointer, limit: Int) -> ChunkHeader? {
        guard offset >= 0, limit - offset >= headerSize else { return nil }
        let raw = base + offset
        let count = Int(UInt16(littleEndian: raw.loadUnaligned(as: UInt16.self)))
        let bytes = Int(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
        let first = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 4, as: Int64.self))
        let last = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: 12, as: Int64.self))
        guard limit - offset - headerSize >= bytes else { return nil }
        return ChunkHeader(
            offset: offset, count: count, payloadBytes: bytes, firstTimestamp: first, lastTimestamp: last)
    }

    static func writeHeader(
        at raw: UnsafeMutableRawPointer, count: Int, payloadBytes: Int, firstTimestamp: Int64, lastTimestamp: Int64
    ) {
        raw.storeBytes(of: UInt16(truncatingIfNeeded: count).littleEndian, as: UInt16.self)
        raw.storeBytes(of: UInt16(truncatingIfNeeded: payloadBytes).littleEndian, toByteOffset: 2, as: UInt16.self)
        raw.storeBytes(of: firstTimestamp.littleEndian, toByteOffset: 4, as: Int64.self)
        raw.storeBytes(of: lastTimestamp.littleEndian, toByteOffset: 12, as: Int64.self)
    }

    /// Every sample of every well-formed chunk laid back to back in `bytes`; stops at the first
    /// malformed one. What the fuzz harness feeds arbitrary bytes to.
    package static func decodeAll(_ bytes: UnsafeRawBufferPointer) -> [Sample] {
        decodeAll(bytes, times: .none)
    }

    /// `decodeAll(_:)` with table 0 holding `tableTimes` (increasing), so chunks whose times are table
    /// steps decode too. What the fuzz harness feeds arbitrary bytes to, beside the untabled form.
    package static func decodeAll(_ bytes: UnsafeRawBufferPointer, tableTimes: [Int64]) -> [Sample] {
        let tables = SampleTimeTables()
        for time in tableTimes { _ = tables.enter(time, for: .internal("decoded")) }
        return decodeAll(bytes, times: tables.view)
    }

    /// `decodeAll(_:)` with tabled timestamps read from `times`.
    static func decodeAll(_ bytes: UnsafeRawBufferPointer, times: SampleTimes) -> [Sample] {
        guard let base = bytes.baseAddress else { return [] }
        var result: [Sample] = []
        var offset = 0
        while let header = header(at: offset, in: base, limit: bytes.count) {
            guard header.count > 0, header.count <= maxSamplesPerChunk else { break }
            let chunk = ChunkView(header, base: base, times: times)
            var cursor = XORCursor(chunk)
            while cursor.isValid {
                result.append(cursor.sample)
                guard cursor.advance(in: chunk) else { break }
            }
            offset = header.end
        }
        return result
    }
}

/// The fields of a chunk header and where the chunk lies.
struct ChunkHeader: Sendable {
    /// Byte offset of the header.
    var offset: Int
    var count: Int
    var payloadBytes: Int
    var firstTimestamp: Int64
    var lastTimestamp: Int64

    var payloadOffset: Int { offset + XORChunk.headerSize }
    /// The offset just past the chunk.
    var end: Int { payloadOffset + payloadBytes }
}

/// A deliberate encoder fault, so the model test can prove it catches one.
enum ChunkEncoderFault: Sendable {
    case none
    /// Flips the lowest bit of a value whose XOR needs a new window.
    case flipValueBitInNewWindow
}

// MARK: - Encoding

/// The encoder's state for the chunk being written: what the next sample is compared with.
struct XORAppender: Sendable {
    var timestamp: Int64 = 0
    var delta: Int64 = 0
    var valueBits: UInt64 = 0
    /// Leading and trailing zeros of the current XOR window; `leading == 0xff` means no window yet.
    var leading: UInt8 = 0xff
    var trailing: UInt8 = 0
    /// The chunk's table while it is tabled (beside the bytes above: the struct does not grow); the
    /// last sample's index in it, else -1; the last step.
    var tableNumber: UInt16 = 0
    var tableIndex = -1
    var tableStep = 0
    /// Bits written into the payload.
    var bits = 0
    var fault = ChunkEncoderFault.none

    /// Starts a chunk whose payload begins at `payload` with `sample`, whose time is table entry
    /// `entry` when given; the caller reserved `XORChunk.firstSampleBytes`.
    mutating func start(_ sample: Sample, entry: TableEntry? = nil, payload: UnsafeMutablePointer<UInt8>) {
        timestamp = sample.timestamp
        delta = 0
        valueBits = sample.value.bitPattern
        leading = 0xff
        trailing = 0
        bits = 0
        // A table number that does not fit its 16 bits leaves the chunk untabled.
        let entry = entry.flatMap { $0.table >= 0 && $0.table < SampleTimeTables.maxTables ? $0 : nil }
        tableNumber = UInt16(truncatingIfNeeded: entry?.table ?? 0)
        tableIndex = entry?.index ?? -1
        tableStep = 0
        BitStream.write(valueBits, count: 64, at: &bits, into: payload)
        BitStream.write(entry == nil ? 0 : 1, count: 1, at: &bits, into: payload)
        if let entry {
            BitStream.write(UInt64(entry.table), count: XORChunk.tableNumberBits, at: &bits, into: payload)
        }
    }

    /// Appends `sample` (newer than the last one, its time table entry `entry` when given) to the payload
    /// at `payload`; the caller reserved `XORChunk.maxSampleBytes` bytes past the bits written.
    mutating func append(_ sample: Sample, entry: TableEntry? = nil, payload: UnsafeMutablePointer<UInt8>) {
        let newDelta = sample.timestamp &- timestamp
        let value = sample.value.bitPattern
        if tableIndex >= 0 {
            if let entry, entry.table == Int(tableNumber),
                appendTabled(index: entry.index, value: value, payload: payload)
            {
                timestamp = sample.timestamp
                delta = newDelta
                return
            }
            // The chain of table steps ends here: the rest of the chunk codes its own timestamps.
            BitStream.write(0b11111, count: 5, at: &bits, into: payload)
            tableIndex = -1
        }
        appendDeltaOfDelta(newDelta &- delta, payload: payload)
        timestamp = sample.timestamp
        delta = newDelta
        appendValue(value, payload: payload)
    }

    /// Writes the tabled code for entry `index` and `value`; false (nothing written) when the step does
    /// not fit.
    private mutating func appendTabled(index: Int, value: UInt64, payload: UnsafeMutablePointer<UInt8>) -> Bool {
        let step = index &- tableIndex
        let change = step &- tableStep
        switch change {
        case 0 where value == valueBits: BitStream.write(0, count: 1, at: &bits, into: payload)
        case 0:
            BitStream.write(0b10, count: 2, at: &bits, into: payload)
            appendChangedValue(value, payload: payload)
        case 1, -1:
            // Another batch entered a time between two of this series' (or one fewer did).
            BitStream.write(change == 1 ? 0b1100 : 0b1101, count: 4, at: &bits, into: payload)
            appendValue(value, payload: payload)
        case -7...8:
            BitStream.write(0b1110, count: 4, at: &bits, into: payload)
            BitStream.write(UInt64(bitPattern: Int64(change)), count: 4, at: &bits, into: payload)
            appendValue(value, payload: payload)
        case -8_191...8_192:
            BitStream.write(0b11110, count: 5, at: &bits, into: payload)
            BitStream.write(UInt64(bitPattern: Int64(change)), count: 14, at: &bits, into: payload)
            appendValue(value, payload: payload)
        default: return false
        }
        tableIndex = index
        tableStep = step
        return true
    }

    private mutating func appendDeltaOfDelta(_ dod: Int64, payload: UnsafeMutablePointer<UInt8>) {
        switch dod {
        case 0: BitStream.write(0, count: 1, at: &bits, into: payload)
        case -7...8:
            BitStream.write(0b10, count: 2, at: &bits, into: payload)
            BitStream.write(UInt64(bitPattern: dod), count: 4, at: &bits, into: payload)
        case -63...64:
            BitStream.write(0b110, count: 3, at: &bits, into: payload)
            BitStream.write(UInt64(bitPattern: dod), count: 7, at: &bits, into: payload)
        case -8191...8192:
            BitStream.write(0b1110, count: 4, at: &bits, into: payload)
            BitStream.write(UInt64(bitPattern: dod), count: 14, at: &bits, into: payload)
        case -524_287...524_288:
            BitStream.write(0b11110, count: 5, at: &bits, into: payload)
            BitStream.write(UInt64(bitPattern: dod), count: 20, at: &bits, into: payload)
        default:
            BitStream.write(0b11111, count: 5, at: &bits, into: payload)
            BitStream.write(UInt64(bitPattern: dod), count: 64, at: &bits, into: payload)
        }
    }

    /// The value code: `0` for an equal value, else `1` and the changed-value code.
    private mutating func appendValue(_ value: UInt64, payload: UnsafeMutablePointer<UInt8>) {
        guard value != valueBits else {
            BitStream.write(0, count: 1, at: &bits, into: payload)
            return
        }
        BitStream.write(1, count: 1, at: &bits, into: payload)
        appendChangedValue(value, payload: payload)
    }

    /// The code of a value that differs from the last: `0` + the meaningful bits inside the previous
    /// window, or `1` + 5 bits of leading zeros + 6 bits of meaningful length + the meaningful bits.
    private mutating func appendChangedValue(_ value: UInt64, payload: UnsafeMutablePointer<UInt8>) {
        let xor = value ^ valueBits
        valueBits = value
        let newLeading = UInt8(min(xor.leadingZeroBitCount, 31))
        let newTrailing = UInt8(xor.trailingZeroBitCount)
        if leading != 0xff && newLeading >= leading && newTrailing >= trailing {
            let meaningful = 64 - Int(leading) - Int(trailing)
            BitStream.write(0, count: 1, at: &bits, into: payload)
            BitStream.write(xor >> UInt64(trailing), count: meaningful, at: &bits, into: payload)
            return
        }
        leading = newLeading
        trailing = newTrailing
        let meaningful = 64 - Int(newLeading) - Int(newTrailing)
        BitStream.write(1, count: 1, at: &bits, into: payload)
        BitStream.write(UInt64(newLeading), count: 5, at: &bits, into: payload)
        // 64 meaningful bits do not fit in 6 bits; 0 stands for 64 (0 meaningful bits cannot occur).
        BitStream.write(UInt64(meaningful & 63), count: 6, at: &bits, into: payload)
        var stored = xor >> UInt64(newTrailing)
        if fault == .flipValueBitInNewWindow { stored ^= 1 }
        BitStream.write(stored, count: meaningful, at: &bits, into: payload)
    }
}

// MARK: - Decoding

/// One chunk as a decoder reads it: where its payload is, how many bits and samples it holds.
struct ChunkView {
    let payload: UnsafePointer<UInt8>
    let count: Int
    let bitLimit: Int
    let firstTimestamp: Int64
    /// The table tabled timestamps are read from.
    let times: SampleTimes

    init(payload: UnsafePointer<UInt8>, count: Int, bitLimit: Int, firstTimestamp: Int64, times: SampleTimes) {
        self.payload = payload
        self.count = min(count, XORChunk.maxSamplesPerChunk)
        self.bitLimit = bitLimit
        self.firstTimestamp = firstTimestamp
        self.times = times
    }

    init(_ header: ChunkHeader, base: UnsafeRawPointer, times: SampleTimes) {
        payload = (base + header.payloadOffset).assumingMemoryBound(to: UInt8.self)
        count = min(header.count, XORChunk.maxSamplesPerChunk)
        bitLimit = header.payloadBytes &* 8
        firstTimestamp = header.firstTimestamp
        self.times = times
    }
}

/// Decodes one chunk forward, a sample at a time; the current sample is `sample`.
///
/// The cursor keeps only the decoder's state, and is handed the chunk at every step: the ring's
/// oldest-sample cursor may sit in the chunk still being written, whose count and length grow.
/// Every read is bounded by the chunk's payload length and sample count, so arbitrary bytes end
/// the decoding early instead of reading past the chunk.
struct XORCursor: Sendable {
    /// Samples decoded so far (the current one included); 0 when the chunk could not be started.
    private(set) var decoded = 0
    private(set) var timestamp: Int64 = 0
    private var delta: Int64 = 0
    private var valueBits: UInt64 = 0
    private var leading: UInt8 = 0xff
    private var trailing: UInt8 = 0
    /// As in `XORAppender`: the chunk's table, and the current sample's index in it while the chunk is
    /// tabled, else -1.
    private var tableNumber: UInt16 = 0
    private var tableIndex = -1
    private var tableStep = 0
    private var bits = 0

    /// A cursor on no chunk (`isValid` false).
    init() {}

    /// Positioned at the chunk's first sample (`isValid` false when the chunk holds none, or its first
    /// time is tabled and the table does not hold it).
    init(_ chunk: ChunkView) {
        guard chunk.count > 0, let value = read(64, in: chunk), let tabled = read(1, in: chunk) else { return }
        if tabled == 1 {
            guard let number = read(XORChunk.tableNumberBits, in: chunk),
                let index = chunk.times.table(Int(number)).index(of: chunk.firstTimestamp)
            else { return }
            tableNumber = UInt16(truncatingIfNeeded: number)
            tableIndex = index
        }
        timestamp = chunk.firstTimestamp
        valueBits = value
        decoded = 1
    }

    var isValid: Bool { decoded > 0 }

    /// Moves over the run of one-bit repeats (same table step, same value) that follows, as far as the
    /// last whose time is at or before `limit`, reading the run a word at a time; stops at anything
    /// else. What `advance` would do one repeat at a time.
    mutating func skipRepeats(through limit: Int64, in chunk: ChunkView) {
        guard tableIndex >= 0 else { return }
        while decoded > 0, decoded < chunk.count {
            let available = min(64, chunk.bitLimit - bits, chunk.count - decoded)
            // Most calls meet no repeat: one bit says so before a whole word is read.
            guard available > 0, BitStream.read(1, at: bits, from: chunk.payload) == 0 else { return }
            let window = BitStream.read(available, at: bits, from: chunk.payload) << UInt64(64 - available)
            let run = min(window.leadingZeroBitCount, available)
            var taken = 0
            let table = chunk.times.table(Int(tableNumber))
            while taken < run, let time = table.time(at: tableIndex &+ tableStep), time <= limit {
                delta = time &- timestamp
                timestamp = time
                tableIndex &+= tableStep
                taken += 1
            }
            bits += taken
            decoded += taken
            guard taken == available else { return }
        }
    }
    var sample: Sample { Sample(timestamp: timestamp, value: Double(bitPattern: valueBits)) }

    /// Moves to the next sample; false at the chunk's end, or on malformed bits (the cursor is then
    /// spent: `sample` is no longer meaningful).
    mutating func advance(in chunk: ChunkView) -> Bool {
        guard decoded > 0, decoded < chunk.count else { return false }
        return decodeNext(in: chunk)
    }

    private mutating func decodeNext(in chunk: ChunkView) -> Bool {
        if tableIndex >= 0 {
            switch decodeTabledTime(in: chunk) {
            case .malformed: return false
            case .sameValue:
                decoded += 1
                return true
            case .changedValue: return decodeChangedValue(in: chunk)
            case .value: return decodeValue(in: chunk)
            case .untabled: tableIndex = -1
            }
        }
        return decodeTimestamp(in: chunk) && decodeValue(in: chunk)
    }

    /// What follows a tabled code.
    private enum TabledCode {
        case malformed, sameValue, changedValue, value, untabled
    }

    /// Reads a tabled code (`0`, `10`, `110` + 1 bit, `1110` + 4 bits, `11110` + 14 bits, `11111`) and
    /// moves to its entry.
    private mutating func decodeTabledTime(in chunk: ChunkView) -> TabledCode {
        var prefix = 0
        while prefix < 5 {
            guard let bit = read(1, in: chunk) else { return .malformed }
            if bit == 0 { break }
            prefix += 1
        }
        var change = 0
        var next = TabledCode.value
        switch prefix {
        case 0: next = .sameValue
        case 1: next = .changedValue
        case 2:
            guard let sign = read(1, in: chunk) else { return .malformed }
            change = sign == 0 ? 1 : -1
        case 3:
            guard let raw = read(4, in: chunk) else { return .malformed }
            change = Int(Self.signExtend(raw, width: 4))
        case 4:
            guard let raw = read(14, in: chunk) else { return .malformed }
            change = Int(Self.signExtend(raw, width: 14))
        default: return .untabled
        }
        let step = tableStep &+ change
        let index = tableIndex &+ step
        guard let time = chunk.times.table(Int(tableNumber)).time(at: index) else { return .malformed }
        delta = time &- timestamp
        timestamp = time
        tableIndex = index
        tableStep = step
        return next
    }

    /// Reads an untabled timestamp code.
    private mutating func decodeTimestamp(in chunk: ChunkView) -> Bool {
        var prefix = 0
        while prefix < 5 {
            guard let bit = read(1, in: chunk) else { return false }
            if bit == 0 { break }
            prefix += 1
        }
        let width =
            switch prefix {
            case 0: 0
            case 1: 4
            case 2: 7
            case 3: 14
            case 4: 20
            default: 64
            }
        var dod: Int64 = 0
        if width > 0 {
            guard let raw = read(width, in: chunk) else { return false }
            dod = Self.signExtend(raw, width: width)
        }
        delta = delta &+ dod
        timestamp = timestamp &+ delta
        return true
    }

    private mutating func decodeValue(in chunk: ChunkView) -> Bool {
        guard let changed = read(1, in: chunk) else { return false }
        if changed == 0 {
            decoded += 1
            return true
        }
        return decodeChangedValue(in: chunk)
    }

    private mutating func decodeChangedValue(in chunk: ChunkView) -> Bool {
        guard let fresh = read(1, in: chunk) else { return false }
        if fresh == 1 {
            guard let lead = read(5, in: chunk), let length = read(6, in: chunk) else { return false }
            let meaningful = length == 0 ? 64 : Int(length)
            guard Int(lead) + meaningful <= 64 else { return false }
            leading = UInt8(lead)
            trailing = UInt8(64 - Int(lead) - meaningful)
        } else if leading == 0xff {
            return false
        }
        let meaningful = 64 - Int(leading) - Int(trailing)
        guard meaningful > 0, let stored = read(meaningful, in: chunk) else { return false }
        valueBits ^= stored << UInt64(trailing)
        decoded += 1
        return true
    }

    /// A two's-complement `width`-bit field as Int64 (64 bits taken as they are).
    private static func signExtend(_ raw: UInt64, width: Int) -> Int64 {
        guard width < 64 else { return Int64(bitPattern: raw) }
        let half = UInt64(1) << UInt64(width - 1)
        return raw > half ? Int64(bitPattern: raw) &- Int64(bitPattern: UInt64(1) << UInt64(width)) : Int64(raw)
    }

    private mutating func read(_ count: Int, in chunk: ChunkView) -> UInt64? {
        guard count <= chunk.bitLimit - bits else { return nil }
        let value = BitStream.read(count, at: bits, from: chunk.payload)
        bits += count
        return value
    }
}

// MARK: - Bits

/// Big-endian bit packing into bytes, most significant bit first.
enum BitStream {
    /// Writes the low `count` bits of `value` at bit `position`, which advances; bytes are cleared
    /// as they are entered, so the memory past the written bits need not be zero.
    static func write(_ value: UInt64, count: Int, at position: inout Int, into bytes: UnsafeMutablePointer<UInt8>) {
        var remaining = count
        while remaining > 0 {
            let index = position >> 3
            let used = position & 7
            if used == 0 { bytes[index] = 0 }
            let take = min(8 - used, remaining)
            let mask = UInt8(truncatingIfNeeded: (1 << take) - 1)
            let piece = UInt8(truncatingIfNeeded: value >> UInt64(remaining - take)) & mask
            bytes[index] |= piece << UInt8(8 - used - take)
            position += take
            remaining -= take
        }
    }

    /// Reads `count` (≤ 64) bits at bit `position`; the caller checked they lie inside the bytes.
    static func read(_ count: Int, at position: Int, from bytes: UnsafePointer<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        var remaining = count
        var position = position
        while remaining > 0 {
            let used = position & 7
            let take = min(8 - used, remaining)
            let byte = UInt64(bytes[position >> 3])
            let piece = (byte >> UInt64(8 - used - take)) & ((1 << UInt64(take)) - 1)
            value = (value << UInt64(take)) | piece
            position += take
            remaining -= take
        }
        return value
    }
}
