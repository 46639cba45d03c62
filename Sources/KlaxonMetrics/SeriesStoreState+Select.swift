// MARK: - Selection through the inverted index

/// A matcher as selection applies it under the store's lock.
struct SelectionMatcher {
    let matcher: LabelMatcher
    /// For a costly regex: the values of its label, present when selection began, that it accepts
    /// (decided before the lock was taken). Nil: ask the matcher, which is cheap.
    let accepted: Set<String>?

    init(_ matcher: LabelMatcher, accepted: Set<String>? = nil) {
        self.matcher = matcher
        self.accepted = accepted
    }

    var name: String { matcher.name }
    var type: MatchType { matcher.type }
    var matchesEmpty: Bool { matcher.matchesEmpty }

    /// True when `value` (empty for a missing label) satisfies the matcher; a value the precomputed
    /// verdicts do not know appeared after selection began and is not selected.
    func matches(_ value: String) -> Bool {
        guard let accepted else { return matcher.matches(value) }
        return value.isEmpty ? matcher.matchesEmpty : accepted.contains(value)
    }
}

extension SeriesStoreState {
    /// Ids of every stored series (live or stale) matching all `matchers`, in label order.
    func matchingIDs(_ matchers: [SelectionMatcher]) -> [Int] {
        var candidates: Set<Int>?
        // Equality first: it is one dictionary lookup and usually narrows the most.
        let narrowing = matchers.filter { !$0.matchesEmpty }.sorted {
            ($0.type == .equal ? 0 : 1) < ($1.type == .equal ? 0 : 1)
        }
        for matcher in narrowing {
            let postings = postingsFor(matcher)
            if let current = candidates {
                candidates =
                    current.count <= postings.count ? current.intersection(postings) : postings.intersection(current)
            } else {
                candidates = postings
            }
            if candidates?.isEmpty == true { return [] }
        }
        // A posting lookup answers a matcher that rejects the empty value exactly; only the others are checked
        // against each candidate's labels.
        let residual = matchers.filter(\.matchesEmpty)
        // Labels are read in place (`series[id]?.labels`): binding `series[id]` whole would copy the stored
        // series, retaining every field, once per candidate and twice per comparison while sorting.
        var found: [(id: Int, labels: Labels)] = []
        if let candidates {
            found.reserveCapacity(candidates.count)
            for id in candidates {
                guard let labels = series[id]?.labels else { continue }
                if residual.allSatisfy({ $0.matches(labels[$0.name] ?? "") }) { found.append((id, labels)) }
            }
        } else {
            for id in series.indices {
                guard let labels = series[id]?.labels else { continue }
                if residual.allSatisfy({ $0.matches(labels[$0.name] ?? "") }) { found.append((id, labels)) }
            }
        }
        found.sort { $0.labels < $1.labels }
        return found.map(\.id)
    }

    private func postingsFor(_ matcher: SelectionMatcher) -> Set<Int> {
        guard let values = postings[matcher.name] else { return [] }
        if matcher.type == .equal { return values[matcher.matcher.value] ?? [] }
        var union: Set<Int> = []
        if let accepted = matcher.accepted {
            for value in accepted { if let ids = values[value] { union.formUnion(ids) } }
        } else {
            for (value, ids) in values where matcher.matches(value) { union.formUnion(ids) }
        }
        return union
    }
}
