import KlaxonMetrics

// MARK: - What an expression reads

extension Expr {
    /// Every series selector in the expression (instant and range), in reading order.
    package var selectors: [VectorSelector] {
        selectorReads.map(\.selector)
    }

    /// Every series selector with the range it reads (nil for an instant selector), in reading order;
    /// a selector inside a subquery reads that range at each of the subquery's steps.
    package var selectorReads: [(selector: VectorSelector, range: Int64?)] {
        var found: [(selector: VectorSelector, range: Int64?)] = []
        collectSelectors(into: &found)
        return found
    }

    /// The metric names the expression reads, or nil when some selector has no fixed name
    /// (such as `{job="api"}` or `{__name__=~"http_.*"}`), so any series may change its result.
    package var metricNames: Set<String>? {
        var names: Set<String> = []
        for selector in selectors {
            guard
                let matcher = selector.matchers.first(where: { $0.name == Labels.metricNameLabel && $0.type == .equal })
            else { return nil }
            names.insert(matcher.value)
        }
        return names
    }

    private func collectSelectors(into found: inout [(selector: VectorSelector, range: Int64?)]) {
        switch self {
        case .number, .string: break
        case .vectorSelector(let selector): found.append((selector, nil))
        case .matrixSelector(let selector, let range): found.append((selector, range))
        case .subquery(let subquery): subquery.expr.collectSelectors(into: &found)
        case .negation(let inner), .paren(let inner): inner.collectSelectors(into: &found)
        case .binary(let binary):
            binary.lhs.collectSelectors(into: &found)
            binary.rhs.collectSelectors(into: &found)
        case .aggregate(let aggregate):
            aggregate.parameter?.collectSelectors(into: &found)
            aggregate.body.collectSelectors(into: &found)
        case .call(let call):
            for arg in call.args { arg.collectSelectors(into: &found) }
        }
    }
}
