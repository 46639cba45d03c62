// MARK: - How far back an expression reads

extension Expr {
    /// How far before its evaluation time the expression reads samples, in milliseconds: the
    /// longest of its selectors' ranges (or `lookbackDelta` for an instant selector) plus their
    /// offsets. A negative offset reads forward, so it shortens the window (never below 0); the sum
    /// saturates instead of overflowing.
    ///
    /// The series store keeps at least this much history for the loaded rules.
    package func lookbehind(lookbackDelta: Int64) -> Int64 {
        var longest: Int64 = 0
        forEachSelector { selector, range in
            let window = max(0, range ?? lookbackDelta)
            let (sum, overflow) = window.addingReportingOverflow(selector.offset)
            // The window is not negative: only a positive offset can overflow the sum.
            longest = max(longest, overflow ? .max : sum)
        }
        return longest
    }

    private func forEachSelector(_ body: (VectorSelector, Int64?) -> Void) {
        switch self {
        case .number, .string: break
        case .vectorSelector(let selector): body(selector, nil)
        case .matrixSelector(let selector, let range): body(selector, range)
        case .negation(let inner), .paren(let inner): inner.forEachSelector(body)
        case .binary(let binary):
            binary.lhs.forEachSelector(body)
            binary.rhs.forEachSelector(body)
        case .aggregate(let aggregate):
            aggregate.parameter?.forEachSelector(body)
            aggregate.body.forEachSelector(body)
        case .call(let call):
            for arg in call.args { arg.forEachSelector(body) }
        }
    }
}
