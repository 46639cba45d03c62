/// One stored series: identity, cached label text and its ring buffer.
struct StoredSeries: Sendable {
    let labels: Labels
    let name: String
    var family: String
    var owner: SeriesOwner?
    var ring: SampleRing
    var explicitTimestamp = false
    var sortKey: SeriesSortKey
    /// `name{labels}` as `/metrics` shows it (with `instance=""` while `emptyInstance`).
    var prefix: [UInt8]
    var openMetricsPrefix: [UInt8]?
    var separateInText = false
    /// True while the prefixes carry `instance=""` (see `SeriesOwner.exposesEmptyInstance`).
    var emptyInstance = false
}

/// A family's metadata and its live members in exposition order.
struct StoredFamily: Sendable {
    let name: String
    var type: MetricType
    var help: String?
    var unit: String?
    var members: [Int] = []
    var ownerCounts: [SeriesOwner: Int] = [:]
    /// The members' label text for `/metrics`, built on the first snapshot after the members last changed.
    var exposition: FamilyExposition?

    /// True when every live member belongs to `owner` (a family `owner` can retype by replacing it).
    func ownedOnly(by owner: SeriesOwner) -> Bool {
        ownerCounts.isEmpty || (ownerCounts.count == 1 && ownerCounts[owner] != nil)
    }
}

/// A series' newest sample, kept beside `series` so a snapshot reads plain values, not whole `StoredSeries`.
struct SeriesHead: Sendable {
    var newest: Sample?
    var explicitTimestamp = false
    /// True while the series has an owner (is on `/metrics`).
    var live = false
}

/// What one owner publishes and when it last did.
struct OwnerState: Sendable {
    var series: Set<Int> = []
    /// The ids of the owner's last batch in batch order: a producer sends its series in the same order each
    /// time, so the next batch's n-th series is first compared with this n-th id instead of hashing its labels.
    var lastBatch: [Int] = []
    var lastUpdate: Int64
    var staleAfter: Int64
}

/// The store's mutable state; every method runs under the store's lock.
struct SeriesStoreState: Sendable {
    let options: SeriesStoreOptions
    var series: [StoredSeries?] = []
    /// Indexed like `series`: each series' newest sample, for snapshots.
    var heads: [SeriesHead] = []
    var freeIDs: [Int] = []
    var idByLabels: [Labels: Int] = [:]
    /// label name → label value → ids of every stored series (live or stale) carrying it.
    var postings: [String: [String: Set<Int>]] = [:]
    var families: [String: StoredFamily] = [:]
    var familyOrder: [String] = []
    /// live sample name → (family, number of live series with that name).
    var sampleNames: [String: (family: String, count: Int)] = [:]
    var owners: [SeriesOwner: OwnerState] = [:]
    var staleIDs: Set<Int> = []
    var liveCount = 0
    /// Bumped by every operation that can change what `/metrics` shows (`apply`, `deleteOwner`).
    var generation: UInt64 = 0
    var refusedBatches = 0
    var outOfOrderSamples = 0
    /// `prepare`'s scratch: the position in the batch of each stored series it carries, by id (-1: not
    /// carried), and the ids set. Kept between batches: a hash table of a large push's ids cost more
    /// than the rest of its checks, and a table allocated per batch would cost a small batch one entry
    /// per stored series.
    var batchPositions: [Int32] = []
    var batchPositionIDs: [Int] = []
    /// Heap bytes of every ring's chunks, estimated label bytes, samples kept, postings entries and
    /// sets: kept up to date as series change, so `memory()` costs no walk over the series.
    var sampleBytes = 0
    var labelBytes = 0
    var sampleCount = 0
    var postingEntries = 0
    var postingSets = 0
    /// The times of large batches, one table per owner, which their samples are coded against (see
    /// `SampleTimeTables`). A reference the state owns alone: the state lives in the store's lock and is
    /// never copied.
    let sampleTimes = SampleTimeTables()
    /// How far back the loaded rules read (`SeriesStore.setRuleHistory`), milliseconds.
    var ruleHistory: Int64 = 0
    /// The history each series keeps: the configured retention or what the rules read, whichever is longer.
    var retention: Int64
    /// The count cap each series has: the configured one, scaled up with `retention`.
    var samplesPerSeries: Int

    init(options: SeriesStoreOptions) {
        self.options = options
        retention = options.retention
        samplesPerSeries = options.maxSamplesPerSeries
    }

    /// Keeps `history` milliseconds for the rules (when longer than the configured retention) and
    /// scales every series' count cap to match, dropping samples beyond a lowered one.
    mutating func setRuleHistory(_ history: Int64) {
        ruleHistory = max(0, history)
        retention = max(options.retention, ruleHistory)
        samplesPerSeries = options.samplesPerSeries(forRetention: retention)
        let capacity = samplesPerSeries
        let times = sampleTimes.view
        for id in series.indices where series[id]?.ring.capacity != capacity {
            // A lower cap drops the oldest samples only; the newest, which `heads` mirrors, stays.
            let change = modifySeries(id) { stored -> (bytes: Int, count: Int) in
                let before = (bytes: stored.ring.allocatedBytes, count: stored.ring.count)
                stored.ring.setCapacity(capacity, times: times)
                return (stored.ring.allocatedBytes - before.bytes, stored.ring.count - before.count)
            }
            sampleBytes += change?.bytes ?? 0
            sampleCount += change?.count ?? 0
        }
    }

    // MARK: - Series lifecycle

    /// The id of the series with `labels`, created (stale, unowned) when absent.
    mutating func seriesID(labels: Labels, name: String, family: String, type: MetricType) -> Int {
        if let id = idByLabels[labels] { return id }
        let stored = StoredSeries(
            labels: labels, name: name, family: family, owner: nil,
            ring: SampleRing(capacity: samplesPerSeries),
            sortKey: SeriesSortKey(labels: labels, name: name, family: family, type: type),
            prefix: SeriesPrefix.render(name: name, labels: labels)
        )
        let id: Int
        if let free = freeIDs.popLast() {
            id = free
            series[id] = stored
            heads[id] = SeriesHead()
        } else {
            id = series.count
            if series.count == series.capacity {
                // Grown by an eighth, not doubled: a series costs a few hundred bytes here, and a store that
                // just passed a power of two would otherwise keep nearly as many empty slots as series.
                let grown = series.count + max(64, series.count / 8)
                series.reserveCapacity(grown)
                heads.reserveCapacity(grown)
            }
            series.append(stored)
            heads.append(SeriesHead())
        }
        idByLabels[labels] = id
        labelBytes += Self.labelBytes(of: stored)
        for label in labels {
            if postings[label.name]?[label.value] == nil { postingSets += 1 }
            postings[label.name, default: [:]][label.value, default: []].insert(id)
        }
        postingEntries += labels.count
        return id
    }

    /// Makes a stored series live under `owner` in family `familyName` of `type`.
    mutating func makeLive(_ id: Int, owner: SeriesOwner, family familyName: String, type: MetricType) {
        let made = modifySeries(id) { stored -> (name: String, sortKey: SeriesSortKey, bytes: Int)? in
            guard stored.owner == nil else { return nil }
            let before = Self.labelBytes(of: stored)
            stored.owner = owner
            stored.family = familyName
            stored.sortKey = SeriesSortKey(labels: stored.labels, name: stored.name, family: familyName, type: type)
            let suffix = Substring(stored.name.utf8.dropFirst(familyName.utf8.count))
            let emptyInstance = owner.exposesEmptyInstance && stored.labels["instance"] == nil
            if emptyInstance != stored.emptyInstance {
                stored.prefix = SeriesPrefix.render(
                    name: stored.name, labels: stored.labels, emptyInstance: emptyInstance)
                stored.emptyInstance = emptyInstance
            }
            stored.openMetricsPrefix =
                type == .counter && suffix.isEmpty
                ? SeriesPrefix.render(name: stored.name + "_total", labels: stored.labels, emptyInstance: emptyInstance)
                : nil
            stored.separateInText = suffix == "_created" || suffix == "_gsum" || suffix == "_gcount"
            return (stored.name, stored.sortKey, Self.labelBytes(of: stored) - before)
        }
        guard let made = made ?? nil else { return }
        labelBytes += made.bytes
        heads[id].live = true
        staleIDs.remove(id)
        liveCount += 1
        owners[owner]?.series.insert(id)
        sampleNames[made.name, default: (familyName, 0)].count += 1
        guard let index = families.index(forKey: familyName) else { return }
        let position = Self.insertionPoint(in: families.values[index].members, for: made.sortKey, series: series)
        // Mutated through the index so the members array is not copied (it can hold every live series).
        families.values[index].members.insert(id, at: position)
        families.values[index].ownerCounts[owner, default: 0] += 1
        families.values[index].exposition = nil
    }

    /// Takes a live series out of the exposition and appends a stale marker at `now`.
    mutating func markStale(_ id: Int, now: Int64) {
        let retention = retention
        let times = sampleTimes.view
        var change = (bytes: 0, count: 0)
        let marked = modifySeries(id) { stored -> StaleMarked? in
            guard let owner = stored.owner else { return nil }
            stored.owner = nil
            if stored.ring.newest.map({ $0.timestamp < now }) ?? true {
                let before = (bytes: stored.ring.allocatedBytes, count: stored.ring.count)
                stored.ring.append(
                    Sample(timestamp: now, value: Sample.staleNaN), retention: retention, times: times)
                change = (stored.ring.allocatedBytes - before.bytes, stored.ring.count - before.count)
            }
            stored.explicitTimestamp = false
            return StaleMarked(
                owner: owner, name: stored.name, family: stored.family, sortKey: stored.sortKey,
                newest: stored.ring.newest)
        }
        sampleBytes += change.bytes
        sampleCount += change.count
        guard let marked = marked ?? nil else { return }
        heads[id] = SeriesHead(newest: marked.newest, explicitTimestamp: false)
        staleIDs.insert(id)
        liveCount -= 1
        owners[marked.owner]?.series.remove(id)
        if let entry = sampleNames[marked.name] {
            if entry.count <= 1 {
                sampleNames[marked.name] = nil
            } else {
                sampleNames[marked.name] = (entry.family, entry.count - 1)
            }
        }
        guard let index = families.index(forKey: marked.family) else { return }
        var position = Self.lowerBound(in: families.values[index].members, for: marked.sortKey, series: series)
        let count = families.values[index].members.count
        while position < count && families.values[index].members[position] != id { position += 1 }
        if position < count { families.values[index].members.remove(at: position) }
        if let count = families.values[index].ownerCounts[marked.owner] {
            families.values[index].ownerCounts[marked.owner] = count <= 1 ? nil : count - 1
        }
        families.values[index].exposition = nil
        if families.values[index].members.isEmpty {
            families.remove(at: index)
            if let order = familyOrder.firstIndex(of: marked.family) { familyOrder.remove(at: order) }
        }
    }

    /// Appends one sample to a stored series in place; false when it is older than the series' newest.
    /// `entry` is the `sampleTimes` entry of the sample's time, if it has one; `times` the tables' view.
    mutating func appendSample(
        _ id: Int, _ sample: Sample, entry: TableEntry? = nil, explicitTimestamp: Bool, times: SampleTimes
    ) -> Bool {
        let retention = retention
        var change = (bytes: 0, count: 0)
        let newest = modifySeries(id) { stored -> Sample?? in
            let before = (bytes: stored.ring.allocatedBytes, count: stored.ring.count)
            guard stored.ring.append(sample, entry: entry, retention: retention, times: times) else { return nil }
            change = (stored.ring.allocatedBytes - before.bytes, stored.ring.count - before.count)
            stored.explicitTimestamp = explicitTimestamp
            return .some(stored.ring.newest)
        }
        sampleBytes += change.bytes
        sampleCount += change.count
        guard let newest = newest ?? nil else { return false }
        heads[id].newest = newest
        heads[id].explicitTimestamp = explicitTimestamp
        return true
    }

    /// The family of series `id`, read in place: `series[id]?.family` would copy the whole `StoredSeries` out.
    func family(of id: Int) -> String? {
        series.withUnsafeBufferPointer { buffer in id >= 0 && id < buffer.count ? buffer[id]?.family : nil }
    }

    /// The owner of series `id`, read in place (see `family(of:)`).
    func owner(of id: Int) -> SeriesOwner? {
        series.withUnsafeBufferPointer { buffer in id >= 0 && id < buffer.count ? buffer[id]?.owner : nil }
    }

    /// Runs `body` on the series `id` in place (no copy of its ring); nil when there is no such series.
    private mutating func modifySeries<Result>(_ id: Int, _ body: (inout StoredSeries) -> Result) -> Result? {
        guard id >= 0, id < series.count, series[id] != nil else { return nil }
        // Checked just above; `!` here projects the element in place instead of copying it out.
        return body(&series[id]!)
    }

    /// Creates or updates a family's metadata; a new family enters the sorted order.
    mutating func upsertFamily(name: String, type: MetricType, help: String?, unit: String?) {
        if let index = families.index(forKey: name) {
            families.values[index].type = type
            if let help { families.values[index].help = help }
            if let unit { families.values[index].unit = unit }
            return
        }
        families[name] = StoredFamily(name: name, type: type, help: help, unit: unit)
        var low = 0
        var high = familyOrder.count
        while low < high {
            let mid = (low + high) / 2
            if familyOrder[mid] < name { low = mid + 1 } else { high = mid }
        }
        familyOrder.insert(name, at: low)
    }

    /// Forgets stale series whose newest sample left the retention window, then the sample times no
    /// series needs.
    mutating func collectGarbage(now: Int64) {
        let cutoff = now &- retention
        let times = sampleTimes.view
        defer { trimSampleTimes(now: now) }
        for id in staleIDs {
            let emptied = modifySeries(id) { stored -> (emptied: Bool, bytes: Int, count: Int, labels: Int) in
                let before = (bytes: stored.ring.allocatedBytes, count: stored.ring.count)
                stored.ring.dropOlderThan(cutoff, times: times)
                let emptied = stored.ring.count == 0
                return (
                    emptied, stored.ring.allocatedBytes - before.bytes, stored.ring.count - before.count,
                    emptied ? Self.labelBytes(of: stored) : 0
                )
            }
            guard let emptied else { continue }
            sampleBytes += emptied.bytes
            sampleCount += emptied.count
            guard emptied.emptied, let labels = series[id]?.labels else { continue }
            labelBytes -= emptied.labels
            postingEntries -= labels.count
            series[id] = nil
            heads[id] = SeriesHead()
            freeIDs.append(id)
            idByLabels[labels] = nil
            for label in labels {
                postings[label.name]?[label.value]?.remove(id)
                if postings[label.name]?[label.value]?.isEmpty == true {
                    postings[label.name]?[label.value] = nil
                    postingSets -= 1
                }
                if postings[label.name]?.isEmpty == true { postings[label.name] = nil }
            }
            staleIDs.remove(id)
        }
    }

    // MARK: - Ordering helpers

    /// What `markStale` learns about the series it takes out.
    private struct StaleMarked {
        var owner: SeriesOwner
        var name: String
        var family: String
        var sortKey: SeriesSortKey
        var newest: Sample?
    }

    /// The first position among `members` whose key is not below `key`, by binary search.
    private static func lowerBound(in members: [Int], for key: SeriesSortKey, series: [StoredSeries?]) -> Int {
        var low = 0
        var high = members.count
        while low < high {
            let mid = (low + high) / 2
            if let other = series[members[mid]]?.sortKey, other < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Where a series with `key` goes among `members` (after equal keys), by binary search.
    private static func insertionPoint(in members: [Int], for key: SeriesSortKey, series: [StoredSeries?]) -> Int {
        var low = 0
        var high = members.count
        while low < high {
            let mid = (low + high) / 2
            if let other = series[members[mid]]?.sortKey, !(key < other) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
