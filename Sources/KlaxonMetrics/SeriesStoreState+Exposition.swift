/// A family's label text for `/metrics`, kept until its members change.
///
/// Rendering `name{labels}` into one arena per family once, instead of per request, leaves a snapshot
/// with copying plain values: each member's newest sample from `SeriesStoreState.heads`.
struct FamilyExposition: Sendable {
    /// Every member's `name{labels}` text, back to back.
    var labelText: [UInt8]
    /// One record per member, in exposition order, with the value left at zero.
    var records: [SeriesSnapshot]
    /// The series id behind each record.
    var ids: [Int]
}

// MARK: - Exposition snapshot

extension SeriesStoreState {
    /// The live series' newest values, families sorted by name, series in exposition order.
    ///
    /// Mutating only to fill the per-family label text caches; what it returns equals `snapshot()`.
    mutating func exposition() -> ExpositionSnapshot {
        var result: [FamilySnapshot] = []
        result.reserveCapacity(familyOrder.count)
        for name in familyOrder {
            guard let index = families.index(forKey: name) else { continue }
            if families.values[index].exposition == nil {
                families.values[index].exposition = Self.buildExposition(
                    members: families.values[index].members, series: series)
            }
            guard let cached = families.values[index].exposition else { continue }
            var records: [SeriesSnapshot] = []
            records.reserveCapacity(cached.records.count)
            heads.withUnsafeBufferPointer { heads in
                for position in cached.records.indices {
                    let head = heads[cached.ids[position]]
                    guard let newest = head.newest, !newest.isStaleMarker else { continue }
                    var record = cached.records[position]
                    record.value = newest.value
                    record.timestamp = head.explicitTimestamp ? newest.timestamp : nil
                    records.append(record)
                }
            }
            guard !records.isEmpty else { continue }
            let family = families.values[index]
            result.append(
                FamilySnapshot(
                    name: name, type: family.type, help: family.help, unit: family.unit,
                    labelText: cached.labelText, series: records))
        }
        return ExpositionSnapshot(families: result)
    }

    private static func buildExposition(members: [Int], series: [StoredSeries?]) -> FamilyExposition {
        var arena = FamilySnapshot(name: "", type: .untyped, help: nil, unit: nil)
        var ids: [Int] = []
        ids.reserveCapacity(members.count)
        for id in members {
            guard let stored = series[id] else { continue }
            arena.append(
                prefix: stored.prefix, openMetricsPrefix: stored.openMetricsPrefix,
                nameLength: stored.name.utf8.count, separateInText: stored.separateInText, value: 0)
            ids.append(id)
        }
        return FamilyExposition(labelText: arena.labelText, records: arena.series, ids: ids)
    }
}
