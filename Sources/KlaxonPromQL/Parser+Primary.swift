import KlaxonMetrics
import KlaxonRegex

// MARK: - Primary expressions and postfix modifiers

extension Parser {
    static let keywords: Set<String> = [
        "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset",
    ]

    mutating func parsePostfix() throws(PromQLError) -> Expr {
        var expr = try parsePrimary()
        while true {
            if current.kind == .leftBracket {
                expr = try parseRange(on: expr)
            } else if isKeyword("offset") {
                expr = try parseOffset(on: expr)
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
            try expect(.rightParen, "; expected \")\"")
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
        case .duration:
            throw error("unexpected \(token.quoted); durations are only allowed in ranges and after offset")
        case .end:
            throw error("unexpected end of input; expected an expression")
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
                    throw unexpected("in label matching; expected a label name")
                }
                _ = advance()
                let type: MatchType
                switch current.kind {
                case .assign: type = .equal
                case .notEqual: type = .notEqual
                case .regexMatch: type = .regexMatch
                case .regexNoMatch: type = .regexNoMatch
                default: throw unexpected("in label matching; expected one of \"=\", \"!=\", \"=~\", \"!~\"")
                }
                _ = advance()
                guard case .string(let value) = current.kind else {
                    throw unexpected("in label matching; expected a quoted string")
                }
                _ = advance()
                if name != nil && label == Labels.metricNameLabel {
                    throw error(
                        "metric name must not be set twice: \"\(name ?? "")\" and a \(label) matcher", at: labelToken)
                }
                matchers.append(try makeMatcher(label, type, value, at: labelToken))
                if current.kind == .comma {
                    _ = advance()
                } else if current.kind != .rightBrace {
                    throw unexpected("in label matching; expected \",\" or \"}\"")
                }
            }
            _ = advance()
        }
        if !matchers.contains(where: { !$0.matchesEmpty }) {
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
            throw unexpected("in range; expected a duration such as 5m")
        }
        _ = advance()
        if current.kind == .colon { throw error("subqueries are not supported by Klaxon", at: open) }
        try expect(.rightBracket, "in range; expected \"]\"")
        guard case .vectorSelector(let selector) = expr else {
            throw error(
                "subqueries are not supported by Klaxon; a range is only allowed after a vector selector", at: open)
        }
        if selector.offset != 0 { throw error("no offset modifiers allowed before range", at: open) }
        guard range > 0 else { throw error("range must be greater than zero", at: open) }
        return .matrixSelector(selector, range: range)
    }

    private mutating func parseOffset(on expr: Expr) throws(PromQLError) -> Expr {
        let offsetToken = advance()
        var sign: Int64 = 1
        if current.kind == .minus {
            sign = -1
            _ = advance()
        } else if current.kind == .plus {
            _ = advance()
        }
        guard case .duration(let amount) = current.kind else {
            throw unexpected("after offset; expected a duration such as 5m")
        }
        _ = advance()
        switch expr {
        case .vectorSelector(var selector) where selector.offset == 0:
            selector.offset = sign * amount
            return .vectorSelector(selector)
        case .matrixSelector(var selector, let range) where selector.offset == 0:
            selector.offset = sign * amount
            return .matrixSelector(selector, range: range)
        case .vectorSelector, .matrixSelector:
            throw error("offset may not be set multiple times", at: offsetToken)
        default:
            throw error(
                "offset modifier must be preceded by an instant vector selector or range vector selector",
                at: offsetToken)
        }
    }
}
