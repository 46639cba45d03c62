import Foundation

// MARK: - Ranges, subqueries, offset and @

extension Parser {
    /// `[range]` after a selector, or `[range:step]` / `[range:]` after any instant-vector expression.
    mutating func parseRangeOrSubquery(on expr: Expr, start: Token) throws(PromQLError) -> Expr {
        let open = advance()
        guard case .duration(let range) = current.kind else {
            throw unexpected("subquery selector", expected: "duration")
        }
        try checkDuration(range)
        let rangeToken = advance()
        if current.kind == .colon {
            _ = advance()
            var step: Int64?
            if case .duration(let value) = current.kind {
                try checkDuration(value)
                let stepToken = advance()
                guard value > 0 else { throw error("duration must be greater than 0", at: stepToken) }
                step = value
                guard current.kind == .rightBracket else { throw unexpected("subquery selector", expected: "\"]\"") }
            } else if current.kind != .rightBracket {
                throw unexpected("subquery selector", expected: "duration or \"]\"")
            }
            _ = advance()
            guard range > 0 else { throw error("duration must be greater than 0", at: rangeToken) }
            guard expr.type == .vector else {
                throw error("subquery is only allowed on instant vector, got \(expr.type.goName) instead", at: start)
            }
            return .subquery(SubqueryExpr(expr: expr, range: range, step: step, offset: 0, at: nil))
        }
        guard current.kind == .rightBracket else {
            throw unexpected("subquery or range", expected: "\":\" or \"]\"")
        }
        _ = advance()
        guard case .vectorSelector(let selector) = expr else {
            throw error("ranges only allowed for vector selectors", at: open)
        }
        if selector.offset != 0 { throw error("no offset modifiers allowed before range", at: open) }
        // Prometheus 2.42 refuses only a timestamp here; `x @ start() [5m]` parses.
        if case .timestamp? = selector.at { throw error("no @ modifiers allowed before range", at: open) }
        guard range > 0 else { throw error("range must be greater than zero", at: open) }
        return .matrixSelector(selector, range: range)
    }

    mutating func parseOffset(on expr: Expr, start: Token) throws(PromQLError) -> Expr {
        _ = advance()
        var sign: Int64 = 1
        if current.kind == .minus {
            sign = -1
            _ = advance()
        } else if current.kind == .plus {
            _ = advance()
        }
        guard case .duration(let amount) = current.kind else {
            throw unexpected("offset", expected: "duration")
        }
        try checkDuration(amount)
        _ = advance()
        let offset = sign * amount
        switch expr {
        case .vectorSelector(var selector) where selector.offset == 0:
            selector.offset = offset
            return .vectorSelector(selector)
        case .matrixSelector(var selector, let range) where selector.offset == 0:
            selector.offset = offset
            return .matrixSelector(selector, range: range)
        case .subquery(var subquery) where subquery.offset == 0:
            subquery.offset = offset
            return .subquery(subquery)
        case .vectorSelector, .matrixSelector, .subquery:
            throw error("offset may not be set multiple times", at: start)
        default:
            throw error(
                "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                at: start)
        }
    }

    /// `@ <unix seconds>`, `@ start()` or `@ end()`.
    mutating func parseAt(on expr: Expr, start: Token) throws(PromQLError) -> Expr {
        _ = advance()
        let at: AtModifier
        if isKeyword("start") || isKeyword("end") {
            let isStart = isKeyword("start")
            _ = advance()
            guard current.kind == .leftParen else { throw unexpected("@", expected: "timestamp") }
            _ = advance()
            guard current.kind == .rightParen else { throw unexpected("@", expected: "timestamp") }
            _ = advance()
            at = isStart ? .start : .end
        } else {
            var sign = 1.0
            if current.kind == .minus || current.kind == .plus {
                if current.kind == .minus { sign = -1 }
                _ = advance()
            }
            let seconds: Double
            switch current.kind {
            case .number(let value):
                seconds = sign * value
            case .identifier(let name) where name.lowercased() == "inf" || name.lowercased() == "nan":
                seconds = sign * (name.lowercased() == "inf" ? Double.infinity : Double.nan)
            default:
                throw unexpected("@", expected: "timestamp")
            }
            _ = advance()
            if seconds.isNaN || seconds >= 9.223372036854775807e18 || seconds <= -9.223372036854775808e18 {
                throw error("timestamp out of bounds for @ modifier: \(Parser.goFixed(seconds))", at: start)
            }
            at = .timestamp(Parser.milliseconds(fromSeconds: seconds))
        }
        switch expr {
        case .vectorSelector(var selector) where selector.at == nil:
            selector.at = at
            return .vectorSelector(selector)
        case .matrixSelector(var selector, let range) where selector.at == nil:
            selector.at = at
            return .matrixSelector(selector, range: range)
        case .subquery(var subquery) where subquery.at == nil:
            subquery.at = at
            return .subquery(subquery)
        case .vectorSelector, .matrixSelector, .subquery:
            throw error("@ <timestamp> may not be set multiple times", at: start)
        default:
            throw error(
                "@ modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                at: start)
        }
    }

    /// Prometheus's `parseDuration` refusals, at the duration token.
    func checkDuration(_ milliseconds: Int64) throws(PromQLError) {
        if milliseconds == Lexer.invalidDuration {
            let text = Lexer.lexeme(of: current, in: self.text)
            throw error("not a valid duration string: \"\(text)\"")
        }
        if milliseconds == Lexer.durationOutOfRange { throw error("duration out of range") }
        guard milliseconds > 0 else { throw error("duration must be greater than 0") }
    }

    /// Prometheus's `timestamp.FromFloatSeconds`: seconds × 1000, rounded half away from zero. A product
    /// outside Int64 becomes Int64.min, as Go's float-to-int conversion gives on amd64.
    static func milliseconds(fromSeconds seconds: Double) -> Int64 {
        let product = (seconds * 1000).rounded(.toNearestOrAwayFromZero)
        guard product > -9.223372036854775808e18, product < 9.223372036854775807e18 else { return .min }
        return Int64(product)
    }

    /// Go's `%f`: six decimals, `+Inf`, `-Inf`, `NaN`.
    static func goFixed(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        return String(format: "%.6f", value)
    }
}

extension ValueType {
    /// The type as Prometheus's `ValueType` prints it (`matrix`, `vector`), in the messages that use it.
    var goName: String {
        switch self {
        case .scalar: "scalar"
        case .vector: "vector"
        case .matrix: "matrix"
        case .string: "string"
        }
    }
}
