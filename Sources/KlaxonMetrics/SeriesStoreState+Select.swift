// MARK: - Selection through the inverted index

extension SeriesStoreState {
    /// Ids of every stored series (live or stale) matching all `matchers`, in label order.
    func matchingIDs(_ matchers: [LabelMatcher]) -> [Int] {
        var candidates: Set<Int>?
        // Equality first: it is one dictionary lookup and usually narrows the most.
        let narrowing = matchers.filter { !$0.matchesEmpty }.sorted { ($0.type == .equal ? 0 : 1) < ($1.type == .equal ? 0 : 1) }
        for matcher in narrowing {
            let postings = postingsFor(matcher)
            if let current = candidates {
                candidates = current.count <= postings.count ? current.intersection(postings) : postings.intersection(current)
            } else {
                candidates = postings
            }
            if candidates?.isEmpty == true { return [] }
        }
        var result: [Int] = []
        if let candidates {
            result.reserveCapacity(candidates.count)
            for id in candidates {
                if let stored = series[id], matchers.allSatisfy({ $0.matches(stored.labels) }) { result.append(id) }
            }
        } else {
            for (id, stored) in series.enumerated() {
                if let stored, matchers.allSatisfy({ $0.matches(stored.labels) }) { result.append(id) }
            }
        }
        result.sort { lhs, rhs in
            guard let left = series[lhs], let right = series[rhs] else { return lhs < rhs }
            return left.labels < right.labels
        }
        return result
    }

    private func postingsFor(_ matcher: LabelMatcher) -> Set<Int> {
        guard let values = postings[matcher.name] else { return [] }
        if matcher.type == .equal { return values[matcher.value] ?? [] }
        var union: Set<Int> = []
        for (value, ids) in values where matcher.matches(value) { union.formUnion(ids) }
        return union
    }

    // MARK: - Exposition snapshot

    /// Copies the live series' newest values, families sorted by name, series in exposition order.
    func snapshot() -> ExpositionSnapshot {
        var result: [FamilySnapshot] = []
        result.reserveCapacity(familyOrder.count)
        for name in familyOrder {
            guard let family = families[name] else { continue }
            var copies: [SeriesSnapshot] = []
            copies.reserveCapacity(family.members.count)
            for id in family.members {
                guard let stored = series[id], let newest = stored.ring.newest, !newest.isStaleMarker else { continue }
                copies.append(
                    SeriesSnapshot(
                        prefix: stored.prefix, openMetricsPrefix: stored.openMetricsPrefix, separateInText: stored.separateInText,
                        name: stored.name, value: newest.value, timestamp: stored.explicitTimestamp ? newest.timestamp : nil
                    )
                )
            }
            if !copies.isEmpty {
                result.append(FamilySnapshot(name: name, type: family.type, help: family.help, unit: family.unit, series: copies))
            }
        }
        return ExpositionSnapshot(families: result)
    }
}
