/// The store's sample-time tables: one `SampleTimeTable` for each owner that writes large batches.
///
/// A table per owner, not one for the store: a series written by every batch of its owner then
/// steps one entry at a time through its table, one bit a steady sample, whatever other owners
/// write in between (Klaxon's own metrics every 5 s, a scrape every 15 s). With one shared table
/// each of those batches put an irregular step into every pushed series, 5 bits each way.
///
/// A chunk names its table by number (`XORChunk`, 16 bits). A table outlives its owner until its
/// entries are trimmed away; only then is its number given to another owner, when no chunk refers to
/// it any more. Lives inside the store's state and is only touched under its lock.
final class SampleTimeTables: @unchecked Sendable {
    /// The most tables at once: a chunk codes a table's number in 16 bits. Owners past it code their
    /// samples' own timestamps.
    static let maxTables = 1 << 16

    private var tables: [SampleTimeTable?] = []
    /// Each table's owner, nil once the owner was forgotten.
    private var owners: [SeriesOwner?] = []
    private var numbers: [SeriesOwner: Int] = [:]
    /// The decoders' view of each table, kept up to date as tables change.
    private var views: UnsafeMutablePointer<TableTimes>
    private var viewCapacity = 4

    init() {
        views = .allocate(capacity: viewCapacity)
    }

    deinit {
        views.deallocate()
    }

    /// Enters `time` in `owner`'s table (made on its first large batch); nil when the time is earlier
    /// than the table's newest or no table number is free.
    func enter(_ time: Int64, for owner: SeriesOwner) -> TableEntry? {
        guard let number = numbers[owner] ?? makeTable(for: owner), let table = tables[number],
            let index = table.enter(time)
        else { return nil }
        views[number] = table.view
        return TableEntry(table: number, index: index)
    }

    /// Stops entering times for `owner`; its table stays until its entries are trimmed away.
    func forget(_ owner: SeriesOwner) {
        guard let number = numbers.removeValue(forKey: owner) else { return }
        owners[number] = nil
    }

    /// Drops every table's entries older than `cutoff`, and the tables of forgotten owners that emptied.
    func dropEntries(before cutoff: Int64) {
        for number in tables.indices {
            guard let table = tables[number] else { continue }
            table.dropEntries(before: cutoff)
            if table.count == 0, owners[number] == nil {
                tables[number] = nil
                views[number] = .empty
            } else {
                views[number] = table.view
            }
        }
    }

    /// The oldest time any table keeps, nil while all are empty.
    var oldest: Int64? { tables.compactMap { $0?.oldest }.min() }

    /// Entries kept, over all tables.
    var count: Int { tables.reduce(0) { $0 + ($1?.count ?? 0) } }

    /// Heap bytes the tables hold.
    var allocatedBytes: Int {
        tables.reduce(0) { $0 + ($1?.allocatedBytes ?? 0) } + viewCapacity * MemoryLayout<TableTimes>.stride
    }

    /// What decoders read; valid until a table next changes.
    var view: SampleTimes { SampleTimes(tables: UnsafePointer(views), count: tables.count) }

    /// A table for `owner` under the lowest free number; nil when all are taken.
    private func makeTable(for owner: SeriesOwner) -> Int? {
        let number: Int
        if let free = tables.firstIndex(where: { $0 == nil }) {
            number = free
        } else {
            guard tables.count < Self.maxTables else { return nil }
            number = tables.count
            tables.append(nil)
            owners.append(nil)
            if number == viewCapacity {
                let larger = UnsafeMutablePointer<TableTimes>.allocate(capacity: viewCapacity * 2)
                larger.initialize(from: views, count: viewCapacity)
                views.deallocate()
                views = larger
                viewCapacity *= 2
            }
        }
        let table = SampleTimeTable()
        tables[number] = table
        owners[number] = owner
        numbers[owner] = number
        views[number] = table.view
        return number
    }
}

/// A read-only view of all the store's sample-time tables for decoders.
struct SampleTimes {
    private let tables: UnsafePointer<TableTimes>?
    private let count: Int

    init(tables: UnsafePointer<TableTimes>?, count: Int) {
        self.tables = tables
        self.count = count
    }

    /// No tables: only samples with their own timestamps decode.
    static var none: SampleTimes { SampleTimes(tables: nil, count: 0) }

    /// Table `number`, empty when there is no such table.
    func table(_ number: Int) -> TableTimes {
        guard let tables, number >= 0, number < count else { return .empty }
        return tables[number]
    }
}
