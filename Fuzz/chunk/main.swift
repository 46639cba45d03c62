import KlaxonMetrics

/// Two modes, chosen by the first byte. Even: the rest is taken as chunk bytes (headers and XOR bit
/// streams) and decoded; malformed chunks must end the decoding, never read past the bytes or trap.
/// With bit 1 set too, table 0 holds the times 0, 1 000, …, 4 095 000, so chunks whose first time is one
/// of them decode their table steps (a chunk naming another table ends there). Odd: the rest drives appends of one series into a store with a small count cap and retention
/// (timestamps from any step, values from any bit pattern), then every sample read back from the
/// compressed ring must equal what a plain array kept the slow way.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let mode = bytes.first else { return 0 }
    let rest = UnsafeBufferPointer(rebasing: bytes.dropFirst())
    if mode.isMultiple(of: 2) {
        let samples =
            mode & 2 == 0
            ? XORChunk.decodeAll(UnsafeRawBufferPointer(rest))
            : XORChunk.decodeAll(UnsafeRawBufferPointer(rest), tableTimes: tableTimes)
        for sample in samples where sample.isStaleMarker { _ = sample.value.isNaN }
        return 0
    }
    appendAndReadBack(rest, capacity: Int(mode >> 1) % 300 + 1)
    return 0
}

private let tableTimes = (0..<4_096).map { Int64($0) * 1_000 }

private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0

    var atEnd: Bool { position >= bytes.count }

    mutating func byte() -> UInt8 {
        guard position < bytes.count else { return 0 }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func word(_ count: Int) -> UInt64 {
        var value: UInt64 = 0
        for _ in 0..<count { value = value << 8 | UInt64(byte()) }
        return value
    }
}

private func appendAndReadBack(_ bytes: UnsafeBufferPointer<UInt8>, capacity: Int) {
    var input = Reader(bytes: bytes)
    let retention = Int64(input.word(3)) + 1
    let store = SeriesStore(options: SeriesStoreOptions(retention: retention, maxSamplesPerSeries: capacity))
    let owner = SeriesOwner.internal("fuzz")
    var model: [Sample] = []
    var time = Int64(bitPattern: input.word(8))
    var value = 0.0
    while !input.atEnd {
        let op = input.byte()
        // Steps of every timestamp code width, backwards ones included.
        switch op & 7 {
        case 0: break
        case 1: time = time &+ Int64(Int8(bitPattern: input.byte()))
        case 2: time = time &+ 1_000 &+ Int64(Int8(bitPattern: input.byte()))
        case 3: time = time &+ Int64(Int16(truncatingIfNeeded: input.word(2)))
        case 4: time = time &+ Int64(Int32(truncatingIfNeeded: input.word(4)))
        default: time = time &+ Int64(bitPattern: input.word(8))
        }
        switch (op >> 3) & 3 {
        case 0: break
        case 1: value = Double(bitPattern: input.word(8))
        case 2: value = Double(bitPattern: value.bitPattern ^ UInt64(input.byte()))
        default: value = Sample.staleNaN
        }
        let family = ParsedFamily(
            name: "fuzz", type: .gauge,
            samples: [ParsedSample(name: "fuzz", labels: Labels([]), value: value, timestamp: time)])
        try? store.append(owner: owner, [family], now: time)
        if let last = model.last, time < last.timestamp { continue }
        if model.last?.timestamp == time { model.removeLast() }
        model.append(Sample(timestamp: time, value: value))
        if model.count > capacity { model.removeFirst(model.count - capacity) }
        let cutoff = time &- retention
        // The store compares with a wrapped cutoff too: keep what it keeps.
        model.removeAll { $0.timestamp < cutoff }
    }
    let stored = store.select([], start: .min, end: .max).first?.samples ?? []
    guard stored == model else {
        fatalError("the ring holds \(stored.count) samples, the model \(model.count): they differ")
    }
}
