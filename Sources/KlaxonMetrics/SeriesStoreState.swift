/// One stored series: identity, cached label text and its ring buffer.
struct StoredSeries: Sendable {
    let labels: Labels
    let name: String
    var family: String
    var owner: SeriesOwner?
    var ring: SampleRing
    var explicitTimestamp = false
    var sortKey: SeriesSortKey
    let prefix: [UInt8]
    var openMetricsPrefix: [UInt8]?
    var separateInText = false
}

/// A family's metadata and its live members in exposition order.
struct StoredFamily: Sendable {
    let name: String
    var type: MetricType
    var help: String?
    var unit: String?
    var members: [Int] = []
    var ownerCounts: [SeriesOwner: Int] = [:]

    /// True when every live member belongs to `owner` (a family `owner` can retype by replacing it).
    func ownedOnly(by owner: SeriesOwner) -> Bool {
        ownerCounts.isEmpty || (ownerCounts.count == 1 && ownerCounts[owner] != nil)
    }
}

/// What one owner publishes and when it last did.
struct OwnerState: Sendable {
    var series: Set<Int> = []
    var lastUpdate: Int64
    var staleAfter: Int64
}

/// The store's mutable state; every method runs under the store's lock.
struct SeriesStoreState: Sendable {
    let options: SeriesStoreOptions
    var series: [StoredSeries?] = []
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
    var refusedBatches = 0
    var outOfOrderSamples = 0

    init(options: SeriesStoreOptions) {
        self.options = options
    }

    // MARK: - Series lifecycle

    /// The id of the series with `labels`, created (stale, unowned) when absent.
    mutating func seriesID(labels: Labels, name: String, family: String, type: MetricType) -> Int {
        if let id = idByLabels[labels] { return id }
        let stored = StoredSeries(
            labels: labels, name: name, family: family, owner: nil,
            ring: SampleRing(capacity: options.maxSamplesPerSeries),
            sortKey: SeriesSortKey(labels: labels, name: name, family: family, type: type),
            prefix: SeriesSnapshot.renderPrefix(name: name, labels: labels)
        )
        let id: Int
        if let free = freeIDs.popLast() {
            id = free
            series[id] = stored
        } else {
            id = series.count
            series.append(stored)
        }
        idByLabels[labels] = id
        for label in labels { postings[label.name, default: [:]][label.value, default: []].insert(id) }
        return id
    }

    /// Makes a stored series live under `owner` in family `familyName` of `type`.
    mutating func makeLive(_ id: Int, owner: SeriesOwner, family familyName: String, type: MetricType) {
        guard var stored = series[id], stored.owner == nil else { return }
        stored.owner = owner
        stored.family = familyName
        stored.sortKey = SeriesSortKey(labels: stored.labels, name: stored.name, family: stored.family, type: type)
        let suffix = Substring(stored.name.utf8.dropFirst(stored.family.utf8.count))
        stored.openMetricsPrefix =
            type == .counter && suffix.isEmpty
            ? SeriesSnapshot.renderPrefix(name: stored.name + "_total", labels: stored.labels) : nil
        stored.separateInText = suffix == "_created" || suffix == "_gsum" || suffix == "_gcount"
        series[id] = stored
        staleIDs.remove(id)
        liveCount += 1
        owners[owner]?.series.insert(id)
        sampleNames[stored.name, default: (stored.family, 0)].count += 1
        guard var family = families[stored.family] else { return }
        let position = insertionPoint(in: family.members, for: stored.sortKey)
        family.members.insert(id, at: position)
        family.ownerCounts[owner, default: 0] += 1
        families[stored.family] = family
    }

    /// Takes a live series out of the exposition and appends a stale marker at `now`.
    mutating func markStale(_ id: Int, now: Int64) {
        guard var stored = series[id], let owner = stored.owner else { return }
        stored.owner = nil
        if stored.ring.newest.map({ $0.timestamp < now }) ?? true {
            stored.ring.append(Sample(timestamp: now, value: Sample.staleNaN), retention: options.retention)
        }
        stored.explicitTimestamp = false
        series[id] = stored
        staleIDs.insert(id)
        liveCount -= 1
        owners[owner]?.series.remove(id)
        if let entry = sampleNames[stored.name] {
            if entry.count <= 1 { sampleNames[stored.name] = nil } else { sampleNames[stored.name] = (entry.family, entry.count - 1) }
        }
        guard var family = families[stored.family] else { return }
        var position = lowerBound(in: family.members, for: stored.sortKey)
        while position < family.members.count && family.members[position] != id { position += 1 }
        if position < family.members.count { family.members.remove(at: position) }
        if let count = family.ownerCounts[owner] {
            family.ownerCounts[owner] = count <= 1 ? nil : count - 1
        }
        if family.members.isEmpty {
            families[stored.family] = nil
            if let index = familyOrder.firstIndex(of: stored.family) { familyOrder.remove(at: index) }
        } else {
            families[stored.family] = family
        }
    }

    /// Creates or updates a family's metadata; a new family enters the sorted order.
    mutating func upsertFamily(name: String, type: MetricType, help: String?, unit: String?) {
        if var family = families[name] {
            family.type = type
            if let help { family.help = help }
            if let unit { family.unit = unit }
            families[name] = family
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

    /// Forgets stale series whose newest sample left the retention window.
    mutating func collectGarbage(now: Int64) {
        let cutoff = now &- options.retention
        for id in staleIDs {
            guard var stored = series[id] else { continue }
            stored.ring.dropOlderThan(cutoff)
            guard stored.ring.count == 0 else {
                series[id] = stored
                continue
            }
            series[id] = nil
            freeIDs.append(id)
            idByLabels[stored.labels] = nil
            for label in stored.labels {
                postings[label.name]?[label.value]?.remove(id)
                if postings[label.name]?[label.value]?.isEmpty == true { postings[label.name]?[label.value] = nil }
                if postings[label.name]?.isEmpty == true { postings[label.name] = nil }
            }
            staleIDs.remove(id)
        }
    }

    // MARK: - Ordering helpers

    private func lowerBound(in members: [Int], for key: SeriesSortKey) -> Int {
        var low = 0
        var high = members.count
        while low < high {
            let mid = (low + high) / 2
            if let other = series[members[mid]], other.sortKey < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    private func insertionPoint(in members: [Int], for key: SeriesSortKey) -> Int {
        var low = 0
        var high = members.count
        while low < high {
            let mid = (low + high) / 2
            if let other = series[members[mid]], !(key < other.sortKey) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
