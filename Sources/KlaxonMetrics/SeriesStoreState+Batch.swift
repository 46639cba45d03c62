/// Which of an owner's series a batch replaces.
enum ReplaceScope: Sendable {
    /// Everything the owner has (Pushgateway PUT, a scrape).
    case all
    /// The owner's series in the families the batch names (Pushgateway POST).
    case families
    /// Nothing: samples are appended (JSON push API, recording rules).
    case none
}

/// A batch checked against the names rules, ready to be checked against the state.
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
        var samples: [(timestamp: Int64?, value: Double)]
    }

    var families: [Family] = []
    var series: [Series] = []
    var indexByLabels: [Labels: Int] = [:]
}

extension SeriesStoreState {
    // MARK: - Validation (reads state, changes nothing but the refusal counter)

    /// Checks a batch whole; throws the first problem and leaves the state as it was.
    mutating func prepare(_ batch: [ParsedFamily], owner: SeriesOwner, scope: ReplaceScope) throws(SeriesStoreError)
        -> PreparedBatch
    {
        var prepared = PreparedBatch()
        var familyNames: Set<String> = []
        var batchSampleNames: [String: String] = [:]
        for family in batch {
            guard MetricNames.isValidMetricName(family.name) else {
                throw .invalidName("metric name", family.name, family: family.name)
            }
            var type = family.type
            let name = type.canonicalFamilyName(family.name)
            if scope == .none, type == .untyped || type == .unknown, let existing = families[name] { type = existing.type }
            guard familyNames.insert(name).inserted else { throw .duplicateFamily(name) }
            prepared.families.append(.init(name: name, type: type, help: family.help, unit: family.unit))
            for sample in family.samples {
                try checkSample(sample, family: name, type: type)
                if let other = batchSampleNames[sample.name], other != name {
                    throw .nameClash(sample.name, family: name, other: other)
                }
                batchSampleNames[sample.name] = name
                let labels = sample.seriesLabels
                if let index = prepared.indexByLabels[labels] {
                    guard scope == .none, prepared.series[index].family == name else { throw .duplicateSeries(labels) }
                    prepared.series[index].samples.append((sample.timestamp, sample.value))
                } else {
                    prepared.indexByLabels[labels] = prepared.series.count
                    prepared.series.append(
                        .init(labels: labels, name: sample.name, family: name, type: type, samples: [(sample.timestamp, sample.value)])
                    )
                }
            }
        }
        try checkAgainstState(prepared, owner: owner, scope: scope, batchFamilies: familyNames)
        return prepared
    }

    private func checkSample(_ sample: ParsedSample, family: String, type: MetricType) throws(SeriesStoreError) {
        guard MetricNames.isValidMetricName(sample.name) else { throw .invalidName("sample name", sample.name, family: family) }
        guard sample.name.hasPrefix(family), type.suffixRank(Substring(sample.name.utf8.dropFirst(family.utf8.count))) != nil
        else { throw .sampleOutsideFamily(sample.name, family: family, type: type, allowed: type.sampleSuffixes) }
        for label in sample.labels where !MetricNames.isValidLabelName(label.name) || label.name.hasPrefix("__") {
            throw .invalidName("label name", label.name, family: family)
        }
    }

    /// True when the operation removes every live member of `family` (so its type may change).
    private func vanishes(_ family: String, owner: SeriesOwner, scope: ReplaceScope, batchFamilies: Set<String>) -> Bool {
        guard let stored = families[family], stored.ownedOnly(by: owner) else { return false }
        switch scope {
        case .all: return true
        case .families: return batchFamilies.contains(family)
        case .none: return false
        }
    }

    private mutating func checkAgainstState(
        _ prepared: PreparedBatch, owner: SeriesOwner, scope: ReplaceScope, batchFamilies: Set<String>
    ) throws(SeriesStoreError) {
        for family in prepared.families {
            if let existing = families[family.name], existing.type != family.type,
                !vanishes(family.name, owner: owner, scope: scope, batchFamilies: batchFamilies)
            {
                throw .typeConflict(family.name, existing: existing.type, new: family.type)
            }
        }
        var added = 0
        for item in prepared.series {
            if let entry = sampleNames[item.name], entry.family != item.family,
                !vanishes(entry.family, owner: owner, scope: scope, batchFamilies: batchFamilies)
            {
                throw .nameClash(item.name, family: item.family, other: entry.family)
            }
            if let id = idByLabels[item.labels], let current = series[id]?.owner {
                guard current == owner else { throw .ownedElsewhere(item.labels, owner: current) }
            } else {
                added += 1
            }
        }
        guard added > 0 else { return }
        let removed = seriesReplaced(by: prepared, owner: owner, scope: scope, batchFamilies: batchFamilies).count
        let wouldBe = liveCount - removed + added
        if wouldBe > options.maxSeries {
            refusedBatches += 1
            throw .seriesLimit(limit: options.maxSeries, wouldBe: wouldBe)
        }
    }

    /// The owner's live series the batch drops: those in scope that the batch does not carry again.
    func seriesReplaced(by prepared: PreparedBatch, owner: SeriesOwner, scope: ReplaceScope, batchFamilies: Set<String>)
        -> [Int]
    {
        guard scope != .none, let state = owners[owner] else { return [] }
        return state.series.filter { id in
            guard let stored = series[id] else { return false }
            if prepared.indexByLabels[stored.labels] != nil { return false }
            return scope == .all || batchFamilies.contains(stored.family)
        }
    }

    // MARK: - Application (cannot fail)

    /// Applies a prepared batch at `now`.
    mutating func apply(_ prepared: PreparedBatch, owner: SeriesOwner, scope: ReplaceScope, now: Int64, staleAfter: Int64) {
        let batchFamilies = Set(prepared.families.map(\.name))
        for id in seriesReplaced(by: prepared, owner: owner, scope: scope, batchFamilies: batchFamilies) {
            markStale(id, now: now)
        }
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
        for item in prepared.series {
            let id = seriesID(labels: item.labels, name: item.name, family: item.family, type: item.type)
            if let stored = series[id], stored.owner == nil || stored.family != item.family {
                if stored.owner != nil { markStale(id, now: now) }
                makeLive(id, owner: owner, family: item.family, type: item.type)
            }
            guard var stored = series[id] else { continue }
            for sample in item.samples {
                let point = Sample(timestamp: sample.timestamp ?? now, value: sample.value)
                if stored.ring.append(point, retention: options.retention) {
                    stored.explicitTimestamp = sample.timestamp != nil
                } else {
                    outOfOrderSamples += 1
                }
            }
            series[id] = stored
        }
    }

    /// Takes all of an owner's series out of the exposition and forgets the owner.
    mutating func deleteOwner(_ owner: SeriesOwner, now: Int64) {
        guard let state = owners[owner] else { return }
        for id in state.series { markStale(id, now: now) }
        owners[owner] = nil
    }
}
