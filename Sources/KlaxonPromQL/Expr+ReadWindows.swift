import KlaxonMetrics

// MARK: - The samples a query reads

extension Expr {
    /// The sample window each selector's matchers read when the expression is evaluated at every
    /// time in `[from, to]` of a query whose `@ start()` and `@ end()` are `queryStart` and `queryEnd`:
    /// a selector reads back its range (or `lookbackDelta`) from each time minus its offset, or from
    /// its `@` time; a subquery's inner expression is evaluated from its first aligned step to its
    /// last. Windows of the same matchers are merged; the bounds saturate instead of overflowing.
    func readWindows(
        from: Int64, to: Int64, queryStart: Int64, queryEnd: Int64, lookbackDelta: Int64, subqueryStep: Int64
    ) -> [[LabelMatcher]: (start: Int64, end: Int64)] {
        var windows: [[LabelMatcher]: (start: Int64, end: Int64)] = [:]
        let walker = ReadWindowWalker(
            queryStart: queryStart, queryEnd: queryEnd, lookbackDelta: lookbackDelta, subqueryStep: subqueryStep)
        walker.walk(self, from: from, to: to, into: &windows)
        return windows
    }
}

private struct ReadWindowWalker {
    let queryStart: Int64
    let queryEnd: Int64
    let lookbackDelta: Int64
    let subqueryStep: Int64

    func walk(_ expr: Expr, from: Int64, to: Int64, into windows: inout [[LabelMatcher]: (start: Int64, end: Int64)]) {
        switch expr {
        case .number, .string: break
        case .vectorSelector(let selector):
            add(selector, back: lookbackDelta, from: from, to: to, into: &windows)
        case .matrixSelector(let selector, let range):
            add(selector, back: range, from: from, to: to, into: &windows)
        case .subquery(let subquery):
            let (base, last) = times(subquery.at, from: from, to: to)
            let end = Self.minus(last, subquery.offset)
            let start = Self.minus(Self.minus(base, subquery.offset), subquery.range)
            let step = max(1, subquery.step ?? subqueryStep)
            var first = (start / step) &* step
            if first < start { first &+= step }
            guard first <= end else { return }
            walk(subquery.expr, from: first, to: end, into: &windows)
        case .negation(let inner), .paren(let inner):
            walk(inner, from: from, to: to, into: &windows)
        case .binary(let binary):
            walk(binary.lhs, from: from, to: to, into: &windows)
            walk(binary.rhs, from: from, to: to, into: &windows)
        case .aggregate(let aggregate):
            if let parameter = aggregate.parameter { walk(parameter, from: from, to: to, into: &windows) }
            walk(aggregate.body, from: from, to: to, into: &windows)
        case .call(let call):
            for arg in call.args { walk(arg, from: from, to: to, into: &windows) }
        }
    }

    /// The evaluation times a modifier leaves: its fixed time, or the times given.
    private func times(_ at: AtModifier?, from: Int64, to: Int64) -> (Int64, Int64) {
        switch at {
        case nil: (from, to)
        case .timestamp(let time)?: (time, time)
        case .start?: (queryStart, queryStart)
        case .end?: (queryEnd, queryEnd)
        }
    }

    private func add(
        _ selector: VectorSelector, back: Int64, from: Int64, to: Int64,
        into windows: inout [[LabelMatcher]: (start: Int64, end: Int64)]
    ) {
        let (base, last) = times(selector.at, from: from, to: to)
        let start = Self.minus(Self.minus(base, selector.offset), back)
        let end = Self.minus(last, selector.offset)
        let known = windows[selector.matchers]
        windows[selector.matchers] = (min(start, known?.start ?? start), max(end, known?.end ?? end))
    }

    private static func minus(_ a: Int64, _ b: Int64) -> Int64 {
        let (difference, overflow) = a.subtractingReportingOverflow(b)
        if !overflow { return difference }
        return b > 0 ? .min : .max
    }
}
