/// The times of one owner's large batches, kept once for every series they wrote.
///
/// Every sample of a push or a scrape is stamped with the same `now`, and arrival times jitter by
/// milliseconds, so a series' own delta-of-delta timestamps cost 5–8 bits a sample while the
/// information is shared by all the series of the batch. The store enters each large batch's time
/// in its owner's table (`SampleTimeTables`) once; a chunk then codes a sample of that batch as a
/// step in this table (1 bit when it is the same step as last time) and the decoder reads the time
/// back from the table.
///
/// Entries are strictly increasing in time; an entry keeps its absolute index for as long as it is
/// kept. Entries leave from the front, only older than every tabled sample a ring still holds
/// (`SeriesStoreState.trimSampleTimes`). Lives inside the store's state and is only touched under
/// its lock, like the rings' chunk blocks.
final class SampleTimeTable: @unchecked Sendable {
    /// The absolute index of the oldest entry kept.
    private(set) var base = 0
    private(set) var count = 0
    private var storage: UnsafeMutablePointer<Int64>
    /// Slots in `storage`; entries occupy `start ..< start + count`.
    private var capacity: Int
    private var start = 0

    init() {
        capacity = 64
        storage = .allocate(capacity: capacity)
    }

    deinit {
        storage.deallocate()
    }

    /// Heap bytes the table holds.
    var allocatedBytes: Int { capacity * MemoryLayout<Int64>.stride }

    /// The oldest time kept, nil while empty.
    var oldest: Int64? { count > 0 ? storage[start] : nil }

    /// The newest time entered, nil while empty.
    var newest: Int64? { count > 0 ? storage[start + count - 1] : nil }

    /// The index of `time`: the newest entry's when equal to it, a new entry's when later, nil when
    /// earlier (a batch stamped before the last one: its samples keep their own timestamps).
    func enter(_ time: Int64) -> Int? {
        if let newest {
            if time == newest { return base &+ count &- 1 }
            guard time > newest else { return nil }
        }
        if start + count == capacity {
            if start >= capacity / 2 {
                // Enough has left from the front: move the entries down instead of growing.
                storage.update(from: storage + start, count: count)
            } else {
                let larger = UnsafeMutablePointer<Int64>.allocate(capacity: capacity * 2)
                larger.initialize(from: storage + start, count: count)
                storage.deallocate()
                storage = larger
                capacity *= 2
            }
            start = 0
        }
        storage[start + count] = time
        count += 1
        return base &+ count &- 1
    }

    /// Drops the entries older than `cutoff`.
    func dropEntries(before cutoff: Int64) {
        while count > 0, storage[start] < cutoff {
            start += 1
            count -= 1
            base &+= 1
        }
        if count == 0 { start = 0 }
    }

    /// What a decoder reads; valid until the table next changes.
    var view: TableTimes { TableTimes(times: UnsafePointer(storage + start), base: base, count: count) }
}

/// A read-only view of one `SampleTimeTable` for decoders: index → time and time → index.
struct TableTimes {
    private let times: UnsafePointer<Int64>?
    private let base: Int
    private let count: Int

    init(times: UnsafePointer<Int64>?, base: Int, count: Int) {
        self.times = times
        self.base = base
        self.count = count
    }

    /// A table holding nothing.
    static var empty: TableTimes { TableTimes(times: nil, base: 0, count: 0) }

    /// The time at absolute `index`, nil when the table does not hold it.
    func time(at index: Int) -> Int64? {
        let offset = index &- base
        guard let times, offset >= 0, offset < count else { return nil }
        return times[offset]
    }

    /// The absolute index of `time`, nil when the table does not hold it.
    func index(of time: Int64) -> Int? {
        guard let times else { return nil }
        var low = 0
        var high = count
        while low < high {
            let mid = (low + high) / 2
            if times[mid] < time { low = mid + 1 } else { high = mid }
        }
        return low < count && times[low] == time ? base &+ low : nil
    }
}

/// Where a sample's time sits in `SampleTimeTables`: which owner's table, and the entry in it.
struct TableEntry: Equatable, Sendable {
    var table: Int
    var index: Int
}
