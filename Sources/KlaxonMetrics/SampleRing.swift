/// A bounded ring buffer of samples in time order, oldest dropped first.
struct SampleRing: Sendable {
    private var storage: [Sample] = []
    /// Index of the oldest sample once the buffer has wrapped.
    private var head = 0
    private(set) var count = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// The newest sample, without copying the buffer.
    var newest: Sample? {
        count == 0 ? nil : storage[physical(count - 1)]
    }

    private var oldest: Sample? {
        count == 0 ? nil : storage[physical(0)]
    }

    private func physical(_ logical: Int) -> Int {
        let index = head + logical
        return index < storage.count ? index : index - storage.count
    }

    private subscript(logical: Int) -> Sample { storage[physical(logical)] }

    /// Appends a sample no older than the newest; samples older than `newest - retention` are dropped.
    /// Returns false (and stores nothing) when the sample is older than the newest.
    @discardableResult
    mutating func append(_ sample: Sample, retention: Int64) -> Bool {
        if let last = newest {
            if sample.timestamp < last.timestamp { return false }
            if sample.timestamp == last.timestamp {
                storage[physical(count - 1)] = sample
                return true
            }
        }
        if count < storage.count {
            storage[physical(count)] = sample
            count += 1
        } else if storage.count < capacity {
            if head != 0 {
                storage = Array(storage[head...] + storage[..<head])
                head = 0
            }
            storage.append(sample)
            count += 1
        } else {
            storage[head] = sample
            head = head + 1 == storage.count ? 0 : head + 1
        }
        dropOlderThan(sample.timestamp &- retention)
        return true
    }

    /// Drops samples with a timestamp before `cutoff`.
    mutating func dropOlderThan(_ cutoff: Int64) {
        while let first = oldest, first.timestamp < cutoff {
            head = head + 1 == storage.count ? 0 : head + 1
            count -= 1
        }
        if count == 0 {
            head = 0
            storage.removeAll(keepingCapacity: false)
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
