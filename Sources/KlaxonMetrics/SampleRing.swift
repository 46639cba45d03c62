/// The heap block behind a `SampleRing`, freed when the last ring holding it goes.
final class SampleBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Sample>

    init(capacity: Int) {
        base = .allocate(capacity: capacity)
    }

    deinit {
        // `Sample` is a trivial type: the memory needs no deinitialisation.
        base.deallocate()
    }
}

/// A bounded ring buffer of samples in time order, oldest dropped first.
///
/// Appending is the hot path of every push (one per series), so everything an append decides on —
/// where the ring starts, how much is allocated, the newest and oldest timestamps — is kept in this
/// struct, which sits in the store's contiguous series array. An append then reads no heap memory
/// and only stores the sample; with `[Sample]` storage each append waited for two cache misses
/// (the array header for uniqueness and count, then the newest sample).
///
/// Copies share the buffer (reference semantics). The series store only mutates rings in place,
/// under its lock; a copy is only ever read, under the same lock.
struct SampleRing: @unchecked Sendable {
    private var buffer: SampleBuffer?
    /// `buffer?.base`, kept here so an append does not load the buffer object.
    private var base: UnsafeMutablePointer<Sample>?
    /// Slots in `buffer` (0 when there is none).
    private var allocated = 0
    /// Physical index of the oldest sample.
    private var head = 0
    private(set) var count = 0
    /// The newest sample, kept inline so an append compares without reading the buffer.
    private(set) var newest: Sample?
    /// The oldest sample's timestamp (meaningful when `count > 0`).
    private var oldestTimestamp: Int64 = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    private func physical(_ logical: Int) -> Int {
        let index = head + logical
        return index < allocated ? index : index - allocated
    }

    private subscript(logical: Int) -> Sample {
        // Callers pass 0..<count, so the ring has a buffer.
        base.map { $0[physical(logical)] } ?? Sample(timestamp: 0, value: 0)
    }

    /// Appends a sample no older than the newest; samples older than `newest - retention` are dropped.
    /// Returns false (and stores nothing) when the sample is older than the newest.
    @discardableResult
    mutating func append(_ sample: Sample, retention: Int64) -> Bool {
        if let last = newest {
            if sample.timestamp < last.timestamp { return false }
            if sample.timestamp == last.timestamp, let base {
                base[physical(count - 1)] = sample
                newest = sample
                return true
            }
        }
        if count == allocated {
            if allocated < capacity {
                grow()
            } else if let base {
                // Full at capacity: the new sample takes the oldest one's slot.
                base[head] = sample
                head = head + 1 == allocated ? 0 : head + 1
                newest = sample
                oldestTimestamp = base[head].timestamp
                dropOlderThan(sample.timestamp &- retention)
                return true
            }
        }
        guard let base else { return false }
        base[physical(count)] = sample
        if count == 0 { oldestTimestamp = sample.timestamp }
        count += 1
        newest = sample
        dropOlderThan(sample.timestamp &- retention)
        return true
    }

    /// Moves the samples to a block twice the size (at most `capacity`), oldest first.
    private mutating func grow() {
        let size = min(capacity, max(4, allocated * 2))
        let larger = SampleBuffer(capacity: size)
        if let base, count > 0 {
            let firstPart = min(count, allocated - head)
            larger.base.initialize(from: base + head, count: firstPart)
            (larger.base + firstPart).initialize(from: base, count: count - firstPart)
        }
        buffer = larger
        base = larger.base
        allocated = size
        head = 0
    }

    /// Drops samples with a timestamp before `cutoff`; an emptied ring gives its memory back.
    mutating func dropOlderThan(_ cutoff: Int64) {
        while count > 0, oldestTimestamp < cutoff {
            head = head + 1 == allocated ? 0 : head + 1
            count -= 1
            if count > 0, let base { oldestTimestamp = base[head].timestamp }
        }
        if count == 0 {
            buffer = nil
            base = nil
            allocated = 0
            head = 0
            newest = nil
        }
    }

    /// Index of the first sample with timestamp ≥ `time`.
    private func lowerBound(_ time: Int64) -> Int {
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid].timestamp < time { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The samples in `[start, end]`, oldest first.
    func samples(from start: Int64, through end: Int64) -> [Sample] {
        guard start <= end else { return [] }
        let first = lowerBound(start)
        let past = lowerBound(end == .max ? end : end + 1)
        guard first < past else { return [] }
        var result: [Sample] = []
        result.reserveCapacity(past - first)
        for index in first..<past { result.append(self[index]) }
        return result
    }

    /// The newest sample in `[start, end]`, found by binary search without copying.
    func latest(from start: Int64, through end: Int64) -> Sample? {
        guard start <= end, let last = newest else { return nil }
        if last.timestamp <= end { return last.timestamp >= start ? last : nil }
        let past = lowerBound(end == .max ? end : end + 1)
        guard past > 0 else { return nil }
        let candidate = self[past - 1]
        return candidate.timestamp >= start ? candidate : nil
    }
}
