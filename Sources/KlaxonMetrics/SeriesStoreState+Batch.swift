/// Which of an owner's series a batch replaces.
enum ReplaceScope: Sendable {
    /// Everything the owner has (Pushgateway PUT, a scrape).
    case all
    /// The owner's series in the families the batch names (Pushgateway POST).
    case families
    /// Nothing: samples are appended (JSON push API, recording rules).
    case none
}

/// A batch checked against the names rules and the state, ready to apply.
struct PreparedBatch: Sendable {
    struct Family: Sendable {
        var name: String
        var type: MetricType
        var help: String?
        var unit: String?
    }

    struct Series: Sendable {
        var labels: Labels
        var name: String
        var family: String
        var type: MetricType
        /// The stored series with these labels when the batch was checked; nil for a new series.
        var id: Int?
        /// True when that series was then live under this owner in this family: `apply` only appends to it,
        /// unless a type change in the batch takes it out first.
        var current = false
        /// The first sample, kept inline so a series with one sample (the usual case) allocates nothing.
        var first: (timestamp: Int64?, value: Double)
        /// Further samples of the same series (appends through the JSON push API and recording rules).
        var more: [(timestamp: Int64?, value: Double)] = []
    }

    var families: [Family] = []
    var familyNames: Set<String> = []
    var series: [Series] = []
    /// Position in `series` of each new series, by labels.
    var indexByLabels: [Labels: Int] = [:]
    /// The owner's live series the batch drops, found while checking and marked stale when applied.
    var replaced: [Int] = []
}

extension SeriesStoreState {
    // MARK: - Validation (reads state, changes nothing but the refusal counter)

    /// Checks a batch whole; throws the first problem and leaves the state as it was (but for the
    /// refusal counter and the batch scratch).
    ///
    /// Each series' labels are hashed once here (looked up in `idByLabels`); `apply` works from the ids.
    mutating func prepare(_ batch: [ParsedFamily], owner: SeriesOwner, scope: ReplaceScope) throws(SeriesStoreError)
        -> PreparedBatch
    {
        var prepared = PreparedBatch()
        var sampleCount = 0
        for family in batch { sampleCount += family.samples.count }
        prepared.series.reserveCapacity(sampleCount)
        resetBatchPositions()
        prepared.families.reserveCapacity(batch.count)
        prepared.familyNames.reserveCapacity(batch.count)
        var batchSampleNames: [String: String] = [:]
        let lastBatch = owners[owner]?.lastBatch ?? []
        for family in batch {
            guard MetricNames.isValidMetricName(family.name) else {
                throw .invalidName("metric name", family.name, family: family.name)
            }
            var type = family.type
            let name = type.canonicalFamilyName(family.name)
            if scope == .none, type == .untyped || type == .unknown, let existing = families[name] {
                type = existing.type
            }
            guard prepared.familyNames.insert(name).inserted else { throw .duplicateFamily(name) }
            prepared.families.append(.init(name: name, type: type, help: family.help, unit: family.unit))
            var previousName: String?
            for sample in family.samples {
                // Consecutive samples mostly share a name; check and record each run of one name once.
                let newName = sample.name != previousName
                if newName { try checkSampleName(sample.name, family: name, type: type) }
                if newName {
                    if let other = batchSampleNames[sample.name], other != name {
                        throw .nameClash(sample.name, family: name, other: other)
                    }
                    batchSampleNames[sample.name] = name
                    previousName = sample.name
                }
                let labels: Labels
                let id: Int?
                if let predicted = storedLabels(ofPosition: prepared.series.count, in: lastBatch),
                    Self.isIdentity(predicted.labels, of: sample)
                {
                    labels = predicted.labels
                    id = predicted.id
                } else {
                    labels = Self.identity(of: sample)
                    id = idByLabels[labels]
                    // A stored series' labels were checked when it was created; only new label sets need it.
                    if id == nil { try checkLabelNames(sample.labels, family: name) }
                }
                let existing = if let id { batchPosition(of: id) } else { prepared.indexByLabels[labels] }
                if let index = existing {
                    guard scope == .none, prepared.series[index].family == name else { throw .duplicateSeries(labels) }
                    prepared.series[index].more.append((sample.timestamp, sample.value))
                    continue
                }
                if let id {
                    setBatchPosition(prepared.series.count, of: id)
                } else {
                    prepared.indexByLabels[labels] = prepared.series.count
                }
                prepared.series.append(
                    .init(
                        labels: labels, name: sample.name, family: name, type: type, id: id,
                        first: (sample.timestamp, sample.value)))
            }
        }
        try checkAgainstState(&prepared, owner: owner, scope: scope)
        return prepared
    }

    /// Clears the positions the previous batch set and sizes the table for every stored series.
    private mutating func resetBatchPositions() {
        for id in batchPositionIDs where id < batchPositions.count { batchPositions[id] = -1 }
        batchPositionIDs.removeAll(keepingCapacity: true)
        if batchPositions.count < series.count {
            batchPositions.append(contentsOf: repeatElement(-1, count: series.count - batchPositions.count))
        }
    }

    private mutating func setBatchPosition(_ position: Int, of id: Int) {
        batchPositions[id] = Int32(position)
        batchPositionIDs.append(id)
    }

    /// Where the stored series `id` is in the batch being prepared, when the batch carries it.
    private func batchPosition(of id: Int) -> Int? {
        guard id >= 0, id < batchPositions.count, batchPositions[id] >= 0 else { return nil }
        return Int(batchPositions[id])
    }

    /// The series identity of `sample`: its labels with `__name__` inserted in sorted position.
    ///
    /// The sample's labels are sorted and unique and were checked to hold no `__`-prefixed name.
    private static func identity(of sample: ParsedSample) -> Labels {
        var pairs: [Label] = []
        pairs.reserveCapacity(sample.labels.count + 1)
        var inserted = false
        for label in sample.labels {
            if !inserted && Labels.metricNameLabel < label.name {
                pairs.append(Label(Labels.metricNameLabel, sample.name))
                inserted = true
            }
            pairs.append(label)
        }
        if !inserted { pairs.append(Label(Labels.metricNameLabel, sample.name)) }
        return Labels(sortedUnchecked: pairs)
    }

    /// The id at `position` of the owner's last batch and that series' labels, when it is still stored.
    private func storedLabels(ofPosition position: Int, in lastBatch: [Int]) -> (id: Int, labels: Labels)? {
        guard position < lastBatch.count else { return nil }
        let id = lastBatch[position]
        return series.withUnsafeBufferPointer { buffer in
            guard id >= 0, id < buffer.count, let labels = buffer[id]?.labels else { return nil }
            return (id, labels)
        }
    }

    /// True when `stored` equals `identity(of: sample)`, compared pair by pair without building it.
    private static func isIdentity(_ stored: Labels, of sample: ParsedSample) -> Bool {
        guard stored.count == sample.labels.count + 1 else { return false }
        var next = 0
        var sawName = false
        for label in stored {
            if !sawName && label.name == Labels.metricNameLabel {
                guard label.value == sample.name else { return false }
                sawName = true
            } else {
                guard next < sample.labels.count, sample.labels[next] == label else { return false }
                next += 1
            }
        }
        return sawName
    }

    private func checkSampleName(_ sampleName: String, family: String, type: MetricType) throws(SeriesStoreError) {
        guard MetricNames.isValidMetricName(sampleName) else {
            throw .invalidName("sample name", sampleName, family: family)
        }
        guard sampleName.hasPrefix(family),
            type.suffixRank(Substring(sampleName.utf8.dropFirst(family.utf8.count))) != nil
        else { throw .sampleOutsideFamily(sampleName, family: family, type: type, allowed: type.sampleSuffixes) }
    }

    private func checkLabelNames(_ labels: Labels, family: String) throws(SeriesStoreError) {
        for label in labels where !MetricNames.isValidLabelName(label.name) || label.name.hasPrefix("__") {
            throw .invalidName("label name", label.name, family: family)
        }
    }

    /// True when the operation removes every live member of `family` (so its type may change).
    private func vanishes(_ family: String, owner: SeriesOwner, scope: ReplaceScope, batchFamilies: Set<String>) -> Bool
    {
        guard let stored = families[family], stored.ownedOnly(by: owner) else { return false }
        switch scope {
        case .all: return true
        case .families: return batchFamilies.contains(family)
        case .none: return false
        }
    }

    private mutating func checkAgainstState(
        _ prepared: inout PreparedBatch, owner: SeriesOwner, scope: ReplaceScope
    ) throws(SeriesStoreError) {
        let batchFamilies = prepared.familyNames
        for family in prepared.families {
            if let existing = families[family.name], existing.type != family.type,
                !vanishes(family.name, owner: owner, scope: scope, batchFamilies: batchFamilies)
            {
                throw .typeConflict(family.name, existing: existing.type, new: family.type)
            }
        }
        var added = 0
        var previousName: String?
        let owned = owners[owner]?.series ?? []
        for index in prepared.series.indices {
            let name = prepared.series[index].name
            let family = prepared.series[index].family
            if name != previousName {
                if let entry = sampleNames[name], entry.family != family,
                    !vanishes(entry.family, owner: owner, scope: scope, batchFamilies: batchFamilies)
                {
                    throw .nameClash(name, family: family, other: entry.family)
                }
                previousName = name
            }
            // The owner's own live series are in `owned`; anything else is new, stale or someone else's.
            if let id = prepared.series[index].id, owned.contains(id) {
                prepared.series[index].current = self.family(of: id) == family
            } else if let id = prepared.series[index].id, let current = self.owner(of: id) {
                throw .ownedElsewhere(prepared.series[index].labels, owner: current)
            } else {
                added += 1
            }
        }
        prepared.replaced = seriesReplaced(by: prepared, owner: owner, scope: scope)
        guard added > 0 else { return }
        let wouldBe = liveCount - prepared.replaced.count + added
        if wouldBe > options.maxSeries {
            refusedBatches += 1
            throw .seriesLimit(limit: options.maxSeries, wouldBe: wouldBe, bytesPerSeries: bytesPerSeries)
        }
    }

    /// The owner's live series the batch drops: those in scope that the batch does not carry again.
    private func seriesReplaced(by prepared: PreparedBatch, owner: SeriesOwner, scope: ReplaceScope) -> [Int] {
        guard scope != .none, let state = owners[owner] else { return [] }
        var result: [Int] = []
        for id in state.series where batchPosition(of: id) == nil {
            guard let family = family(of: id) else { continue }
            if scope == .all || prepared.familyNames.contains(family) { result.append(id) }
        }
        return result
    }

    // MARK: - Application (cannot fail)

    /// Applies a prepared batch at `now`.
    mutating func apply(
        _ prepared: PreparedBatch, owner: SeriesOwner, scope: ReplaceScope, now: Int64, staleAfter: Int64
    ) {
        generation &+= 1
        // Entered before any ring decodes: the views taken below must see the new entry. A rule group's
        // output is not entered: it is appended a rule at a time, each rule's few series a batch of their own.
        let tabled = prepared.series.count >= Self.tabledBatchSize && !owner.isRuleGroup
        let nowEntry = tabled ? sampleTimes.enter(now, for: owner) : nil
        for id in prepared.replaced { markStale(id, now: now) }
        if owners[owner] == nil { owners[owner] = OwnerState(lastUpdate: now, staleAfter: staleAfter) }
        owners[owner]?.lastUpdate = now
        owners[owner]?.staleAfter = staleAfter
        for family in prepared.families {
            if let existing = families[family.name], existing.type != family.type {
                // Validation proved every member is this owner's and replaced; drop them so the type can change.
                for id in existing.members { markStale(id, now: now) }
            }
            upsertFamily(name: family.name, type: family.type, help: family.help, unit: family.unit)
        }
        var batchIDs: [Int] = []
        batchIDs.reserveCapacity(prepared.series.count)
        let times = sampleTimes.view
        for index in prepared.series.indices {
            // Ids found while checking stay valid: nothing between check and apply forgets a series.
            let id: Int
            if let existing = prepared.series[index].id, prepared.series[index].current, heads[existing].live {
                id = existing
            } else {
                let item = prepared.series[index]
                id = item.id ?? seriesID(labels: item.labels, name: item.name, family: item.family, type: item.type)
                let currentOwner = self.owner(of: id)
                if currentOwner == nil || family(of: id) != item.family {
                    if currentOwner != nil { markStale(id, now: now) }
                    makeLive(id, owner: owner, family: item.family, type: item.type)
                }
            }
            append(prepared.series[index].first, to: id, now: now, nowEntry: nowEntry, times: times)
            for sample in prepared.series[index].more {
                append(sample, to: id, now: now, nowEntry: nowEntry, times: times)
            }
            batchIDs.append(id)
        }
        owners[owner]?.lastBatch = batchIDs
    }

    /// A batch of at least this many series enters its time in `sampleTimes`: one entry (8 bytes)
    /// then saves 5–8 bits in each of them, while a small batch's would cost more than it saves.
    static let tabledBatchSize = 64

    /// Appends a sample of the batch; one stamped at `now` is coded against `nowEntry` when there is one.
    private mutating func append(
        _ sample: (timestamp: Int64?, value: Double), to id: Int, now: Int64, nowEntry: TableEntry?, times: SampleTimes
    ) {
        let point = Sample(timestamp: sample.timestamp ?? now, value: sample.value)
        let entry = sample.timestamp == nil ? nowEntry : nil
        if !appendSample(id, point, entry: entry, explicitTimestamp: sample.timestamp != nil, times: times) {
            outOfOrderSamples += 1
        }
    }

    /// Takes all of an owner's series out of the exposition and forgets the owner.
    mutating func deleteOwner(_ owner: SeriesOwner, now: Int64) {
        guard let state = owners[owner] else { return }
        generation &+= 1
        for id in state.series { markStale(id, now: now) }
        owners[owner] = nil
        sampleTimes.forget(owner)
    }
}
