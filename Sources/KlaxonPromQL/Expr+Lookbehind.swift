// MARK: - How far back an expression reads

extension Expr {
    /// How far before its evaluation time the expression reads samples, in milliseconds: the
    /// longest of its selectors' ranges (or `lookbackDelta` for an instant selector) plus their
    /// offsets, a subquery adding its range and offset to what its inner expression reads. A
    /// negative offset reads forward, so it shortens the window (never below 0); the sum saturates
    /// instead of overflowing. An `@` time is not followed: no history covers an arbitrary instant.
    ///
    /// The series store keeps at least this much history for the loaded rules.
    package func lookbehind(lookbackDelta: Int64) -> Int64 {
        switch self {
        case .number, .string: return 0
        case .vectorSelector(let selector): return Self.reach(max(0, lookbackDelta), selector.offset)
        case .matrixSelector(let selector, let range): return Self.reach(max(0, range), selector.offset)
        case .subquery(let subquery):
            let inner = Self.reach(subquery.expr.lookbehind(lookbackDelta: lookbackDelta), max(0, subquery.range))
            return Self.reach(inner, subquery.offset)
        case .negation(let inner), .paren(let inner): return inner.lookbehind(lookbackDelta: lookbackDelta)
        case .binary(let binary):
            return max(
                binary.lhs.lookbehind(lookbackDelta: lookbackDelta), binary.rhs.lookbehind(lookbackDelta: lookbackDelta)
            )
        case .aggregate(let aggregate):
            return max(
                aggregate.parameter?.lookbehind(lookbackDelta: lookbackDelta) ?? 0,
                aggregate.body.lookbehind(lookbackDelta: lookbackDelta))
        case .call(let call):
            return call.args.reduce(0) { max($0, $1.lookbehind(lookbackDelta: lookbackDelta)) }
        }
    }

    /// `window + offset`, at least 0, saturating at Int64.max (the window is never negative).
    private static func reach(_ window: Int64, _ offset: Int64) -> Int64 {
        let (sum, overflow) = window.addingReportingOverflow(offset)
        return overflow ? .max : max(0, sum)
    }
}
