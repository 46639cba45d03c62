import KlaxonMetrics
import KlaxonRegex

// MARK: - Primary expressions and postfix modifiers

extension Parser {
    static let keywords: Set<String> = [
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
    ]

    mutating func parsePostfix() throws(PromQLError) -> Expr {
        let start = current
        var expr = try parsePrimary()
        while true {
            if current.kind == .leftBracket {
                expr = try parseRange(on: expr)
            } else if isKeyword("offset") {
                expr = try parseOffset(on: expr, from: start)
            } else if current.kind == .at {
                throw error("the @ modifier is not supported by Klaxon")
            } else {
                return expr
            }
        }
    }

    private mutating func parsePrimary() throws(PromQLError) -> Expr {
        let token = current
        switch token.kind {
        case .number(let value):
            _ = advance()
            return .number(value)
        case .string(let value):
            _ = advance()
            return .string(value)
        case .leftParen:
            _ = advance()
            let inner = try parseExpr(minPrecedence: 1)
            try expect(.rightParen, "")
            return .paren(inner)
        case .leftBrace:
            return .vectorSelector(try parseSelector(name: nil, at: token))
        case .identifier(let name):
            let lower = name.lowercased()
            if lower == "inf" || lower == "nan" {
                _ = advance()
                return .number(lower == "inf" ? .infinity : .nan)
            }
            if let op = AggregateOperator(rawValue: lower) {
                return try parseAggregation(op)
            }
            if Parser.keywords.contains(lower) { throw unexpected() }
            if lower == "group" || lower == "limitk" || lower == "limit_ratio" {
                throw error(
                    "aggregation \"\(lower)\" is not supported by Klaxon (supported: \(AggregateOperator.allCases.map(\.rawValue).joined(separator: ", ")))"
                )
            }
            _ = advance()
            if current.kind == .leftParen { return try parseCall(name, at: token) }
            return .vectorSelector(try parseSelector(name: name, at: token))
        default:
            throw unexpected()
        }
    }

    // MARK: - Selectors

    private mutating func parseSelector(name: String?, at token: Token) throws(PromQLError) -> VectorSelector {
        var matchers: [LabelMatcher] = []
        if let name {
            matchers.append(try makeMatcher(Labels.metricNameLabel, .equal, name, at: token))
        }
        if current.kind == .leftBrace {
            _ = advance()
            while current.kind != .rightBrace {
                let labelToken = current
                guard case .identifier(let label) = labelToken.kind, Parser.isLabelName(label) else {
                    throw unexpected("label matching", expected: "identifier or \"}\"")
                }
                _ = advance()
                let type: MatchType
                switch current.kind {
                case .assign: type = .equal
                case .notEqual: type = .notEqual
                case .regexMatch: type = .regexMatch
                case .regexNoMatch: type = .regexNoMatch
                default: throw unexpected("label matching", expected: "label matching operator")
                }
                _ = advance()
                guard case .string(let value) = current.kind else {
                    throw unexpected("label matching", expected: "string")
                }
                _ = advance()
                if checksTypes && name != nil && label == Labels.metricNameLabel {
                    throw error("metric name must not be set twice: \"\(name ?? "")\" or \"\(value)\"", at: token)
                }
                matchers.append(try makeMatcher(label, type, value, at: labelToken))
                if current.kind == .comma {
                    _ = advance()
                } else if current.kind != .rightBrace {
                    throw unexpected("label matching", expected: "\",\" or \"}\"")
                }
            }
            _ = advance()
        }
        if checksTypes && !matchers.contains(where: { !$0.matchesEmpty }) {
            throw error("vector selector must contain at least one non-empty matcher", at: token)
        }
        return VectorSelector(name: name, matchers: matchers, offset: 0)
    }

    private func makeMatcher(_ name: String, _ type: MatchType, _ value: String, at token: Token) throws(PromQLError)
        -> LabelMatcher
    {
        if type == .regexMatch || type == .regexNoMatch {
            // Prometheus reports Go's regexp error as is (it names the anchored pattern).
            do {
                _ = try AnchoredRegex(value)
            } catch {
                throw self.error(error.description, at: token)
            }
        }
        do {
            return try LabelMatcher(name, type, value)
        } catch {
            throw self.error(error.description, at: token)
        }
    }

    private mutating func parseRange(on expr: Expr) throws(PromQLError) -> Expr {
        let open = advance()
        guard case .duration(let range) = current.kind else {
            if case .colon = current.kind { throw error("subqueries are not supported by Klaxon", at: open) }
            throw unexpected("subquery or range", expected: "duration")
        }
        try checkDuration(range)
        _ = advance()
        if current.kind == .colon { throw error("subqueries are not supported by Klaxon", at: open) }
        try expect(.rightBracket, "subquery or range", expected: "\":\" or \"]\"")
        guard case .vectorSelector(let selector) = expr else {
            throw error("ranges only allowed for vector selectors", at: open)
        }
        if selector.offset != 0 { throw error("no offset modifiers allowed before range", at: open) }
        return .matrixSelector(selector, range: range)
    }

    /// `offset <duration>`; errors about what it follows point at that expression's start, as Prometheus's do.
    private mutating func parseOffset(on expr: Expr, from start: Token) throws(PromQLError) -> Expr {
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
        switch expr {
        case .vectorSelector(var selector) where selector.offset == 0:
            selector.offset = sign * amount
            return .vectorSelector(selector)
        case .matrixSelector(var selector, let range) where selector.offset == 0:
            selector.offset = sign * amount
            return .matrixSelector(selector, range: range)
        case .vectorSelector, .matrixSelector:
            throw error("offset may not be set multiple times", at: start)
        default:
            throw error(
                "offset modifier must be preceded by an instant vector selector or range vector selector or a subquery",
                at: start)
        }
    }

    /// Prometheus's `parseDuration` refusals, at the duration token.
    private func checkDuration(_ milliseconds: Int64) throws(PromQLError) {
        if milliseconds == Lexer.invalidDuration {
            let text = Lexer.lexeme(of: current, in: self.text)
            throw error("not a valid duration string: \"\(text)\"")
        }
        if milliseconds == Lexer.durationOutOfRange { throw error("duration out of range") }
        guard milliseconds > 0 else { throw error("duration must be greater than 0") }
    }
}
