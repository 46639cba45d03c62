import KlaxonMetrics
import KlaxonRegex

// MARK: - Primary expressions and postfix modifiers

extension Parser {
    static let keywords: Set<String> = [
        "and", "or", "unless", "atan2", "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
        "offset",
    ]

    mutating func parsePostfix() throws(PromQLError) -> Expr {
        // Prometheus reports modifier errors at the start of the expression they follow.
        let start = current
        var expr = try parsePrimary()
        while true {
            if current.kind == .leftBracket {
                expr = try parseRangeOrSubquery(on: expr, start: start)
            } else if isKeyword("offset") {
                expr = try parseOffset(on: expr, start: start)
            } else if current.kind == .at {
                expr = try parseAt(on: expr, start: start)
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
            _ = advance()
            if current.kind == .leftParen { return try parseCall(name, at: token) }
            return .vectorSelector(try parseSelector(name: name, at: token))
        default:
            throw unexpected()
        }
    }

    // MARK: - Selectors

    mutating func parseSelector(name: String?, at token: Token) throws(PromQLError) -> VectorSelector {
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
}
