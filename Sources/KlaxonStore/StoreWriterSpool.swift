import KlaxonRouting

/// The writer's queue of batches waiting for the database, bounded by the number of writes.
///
/// A pure value: `StoreWriter` keeps it behind its lock and does the I/O. Batches leave only once
/// applied, so what is spooled is exactly what the database does not hold yet.
struct StoreWriterSpool {
    /// Most writes held; a batch that would go beyond is refused whole and counted.
    let capacity: Int
    private var batches: [[StoreWrite]] = []
    private var head = 0
    /// Writes in the spool.
    private(set) var writes = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    /// Batches in the spool.
    var batchCount: Int { batches.count - head }

    var isEmpty: Bool { batchCount == 0 }

    /// Appends `batch` unless it would overflow the capacity; false when refused.
    mutating func append(_ batch: [StoreWrite]) -> Bool {
        guard !batch.isEmpty else { return true }
        guard batch.count <= capacity - writes else { return false }
        batches.append(batch)
        writes += batch.count
        return true
    }

    /// The oldest batches, in order, whose writes add up to at most `maximumWrites` (always at
    /// least one batch when any is spooled), merged into one list to apply in one transaction.
    func front(maximumWrites: Int) -> (writes: [StoreWrite], batches: Int) {
        var merged: [StoreWrite] = []
        var count = 0
        for batch in batches[head...] {
            if count > 0 && merged.count + batch.count > maximumWrites { break }
            merged.append(contentsOf: batch)
            count += 1
        }
        return (merged, count)
    }

    /// Replaces the oldest batch with `remaining` (what is left of it after a partial write by write
    /// application); removes it when nothing remains.
    mutating func replaceFront(with remaining: [StoreWrite]) {
        guard !isEmpty else { return }
        guard !remaining.isEmpty else {
            removeFront(1)
            return
        }
        writes += remaining.count - batches[head].count
        batches[head] = remaining
    }

    /// Drops the `count` oldest batches (they were applied or given up).
    mutating func removeFront(_ count: Int) {
        let removed = min(count, batchCount)
        for index in head..<(head + removed) {
            writes -= batches[index].count
            batches[index] = []
        }
        head += removed
        // Compact now and then, so the array does not grow with everything ever spooled.
        if head == batches.count {
            batches.removeAll(keepingCapacity: true)
            head = 0
        } else if head > 1_024 && head * 2 > batches.count {
            batches.removeFirst(head)
            head = 0
        }
    }
}
