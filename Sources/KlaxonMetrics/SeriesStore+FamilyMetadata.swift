// MARK: - Family metadata (/api/v1/metadata)

/// What a metric family declares about itself: its type, `# HELP` and `# UNIT`.
package struct FamilyMetadata: Sendable, Equatable {
    package var name: String
    package var type: MetricType
    package var help: String
    package var unit: String
}

extension SeriesStore {
    /// The metadata of every family with live series, sorted by name, as a Prometheus keeps it from
    /// what it scrapes: families written only by rule groups (recorded series, `ALERTS`) declare
    /// nothing and are left out.
    package func familyMetadata() -> [FamilyMetadata] {
        state.withLock { state in
            state.familyOrder.compactMap { name -> FamilyMetadata? in
                guard let family = state.families[name], !family.members.isEmpty else { return nil }
                let declared = family.ownerCounts.keys.contains { owner in
                    if case .ruleGroup = owner { return false }
                    return true
                }
                guard declared else { return nil }
                return FamilyMetadata(name: name, type: family.type, help: family.help ?? "", unit: family.unit ?? "")
            }
        }
    }
}
