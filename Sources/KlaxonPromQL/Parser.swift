import KlaxonMetrics

/// Entry point for parsing PromQL.
package enum PromQL {
    /// Parses `text` into an expression, or throws an error naming the line and column at fault.
    package static func parse(_ text: String) throws(PromQLError) -> Expr {
        var parser = try Parser(Array(text.utf8))
        return try parser.parseQuery()
    }
}

/// A recursive-descent parser with precedence climbing for binary operators.
struct Parser {
    /// Deepest nesting accepted, so hostile input cannot exhaust the stack.
    static let maxDepth = 128

    let text: [UInt8]
    var tokens: [Token]
    var position = 0
    var depth = 0

    init(_ text: [UInt8]) throws(PromQLError) {
        self.text = text
        self.tokens = try Lexer.tokenize(text)
    }

    // MARK: - Token access

    var current: Token { tokens[position] }

    mutating func advance() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    func error(_ message: String, at token: Token? = nil) -> PromQLError {
        PromQLError.at((token ?? current).offset, in: text, message)
    }

    func unexpected(_ context: String? = nil) -> PromQLError {
        let suffix = context.map { " " + $0 } ?? ""
        return error("unexpected \(current.quoted)\(suffix)")
    }

    mutating func expect(_ kind: Token.Kind, _ context: String) throws(PromQLError) {
        guard current.kind == kind else { throw unexpected(context) }
        _ = advance()
    }

    /// The identifier at the current position when it equals `word` (case-insensitive), consumed.
    mutating func acceptKeyword(_ word: String) -> Bool {
        if case .identifier(let name) = current.kind, name.lowercased() == word {
            _ = advance()
            return true
        }
        return false
    }

    func isKeyword(_ word: String) -> Bool {
        if case .identifier(let name) = current.kind { return name.lowercased() == word }
        return false
    }

    // MARK: - Expressions

    mutating func parseQuery() throws(PromQLError) -> Expr {
        if current.kind == .end { throw error("no expression found in input") }
        let expr = try parseExpr(minPrecedence: 1)
        guard current.kind == .end else { throw unexpected() }
        return expr
    }

    mutating func parseExpr(minPrecedence: Int) throws(PromQLError) -> Expr {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maxDepth else {
            throw error("expression is nested deeper than \(Parser.maxDepth) levels")
        }
        var lhs = try parseUnary()
        while let op = binaryOperator(), op.precedence >= minPrecedence {
            let opToken = advance()
            let (returnBool, matching) = try parseBinaryModifiers(op)
            let rhs = try parseExpr(minPrecedence: op == .power ? op.precedence : op.precedence + 1)
            lhs = try makeBinary(op, lhs, rhs, returnBool: returnBool, matching: matching, at: opToken)
        }
        return lhs
    }

    private func binaryOperator() -> BinaryOperator? {
        switch current.kind {
        case .plus: .add
        case .minus: .subtract
        case .star: .multiply
        case .slash: .divide
        case .percent: .modulo
        case .caret: .power
        case .equal: .equal
        case .notEqual: .notEqual
        case .greater: .greater
        case .less: .less
        case .greaterOrEqual: .greaterOrEqual
        case .lessOrEqual: .lessOrEqual
        case .identifier(let name):
            switch name.lowercased() {
            case "and": .and
            case "or": .or
            case "unless": .unless
            case "atan2": .atan2
            default: nil
            }
        default: nil
        }
    }

    private mutating func parseUnary() throws(PromQLError) -> Expr {
        guard current.kind == .minus || current.kind == .plus else { return try parsePostfix() }
        let opToken = advance()
        depth += 1
        defer { depth -= 1 }
        guard depth <= Parser.maxDepth else {
            throw error("expression is nested deeper than \(Parser.maxDepth) levels")
        }
        // Unary operators bind like `*`: only `^` binds tighter, so `-2^2` is -4.
        let operand = try parseExpr(minPrecedence: BinaryOperator.power.precedence)
        guard operand.type == .scalar || operand.type == .vector else {
            throw error(
                "unary expression only allowed on expressions of type scalar or instant vector, got \(operand.type.rawValue)",
                at: opToken)
        }
        if opToken.kind == .plus { return operand }
        if case .number(let value) = operand { return .number(-value) }
        return .negation(operand)
    }

    private mutating func parseBinaryModifiers(_ op: BinaryOperator) throws(PromQLError) -> (Bool, VectorMatching?) {
        var returnBool = false
        if isKeyword("bool") {
            guard op.isComparison else { throw error("bool modifier can only be used on comparison operators") }
            _ = advance()
            returnBool = true
        }
        var matching: VectorMatching?
        if isKeyword("on") || isKeyword("ignoring") {
            let on = isKeyword("on")
            _ = advance()
            let labels = try parseLabelList("in \(on ? "on" : "ignoring") clause")
            matching = VectorMatching(cardinality: .oneToOne, on: on, labels: labels, include: [], explicit: true)
        }
        if isKeyword("group_left") || isKeyword("group_right") {
            let left = isKeyword("group_left")
            let groupToken = advance()
            if op.isSetOperator { throw error("no grouping allowed for \"\(op.rawValue)\" operation", at: groupToken) }
            guard matching != nil else {
                throw error(
                    "\(left ? "group_left" : "group_right") must follow on(...) or ignoring(...)", at: groupToken)
            }
            var include: [String] = []
            if current.kind == .leftParen { include = try parseLabelList("in grouping clause") }
            var result =
                matching ?? VectorMatching(cardinality: .oneToOne, on: false, labels: [], include: [], explicit: false)
            result.cardinality = left ? .manyToOne : .oneToMany
            result.include = include
            if result.on, let both = include.first(where: { result.labels.contains($0) }) {
                throw error("label \"\(both)\" must not occur in ON and GROUP clause at once", at: groupToken)
            }
            matching = result
        }
        return (returnBool, matching)
    }

    private func makeBinary(
        _ op: BinaryOperator, _ lhs: Expr, _ rhs: Expr, returnBool: Bool, matching: VectorMatching?, at token: Token
    ) throws(PromQLError) -> Expr {
        let types = (lhs.type, rhs.type)
        for type in [types.0, types.1] where type != .scalar && type != .vector {
            throw error(
                "binary expression must contain only scalar and instant vector types, got \(type.rawValue)", at: token)
        }
        let bothVectors = types.0 == .vector && types.1 == .vector
        if op.isComparison && types.0 == .scalar && types.1 == .scalar && !returnBool {
            throw error("comparisons between scalars must use BOOL modifier", at: token)
        }
        if op.isSetOperator && !bothVectors {
            throw error("set operator \"\(op.rawValue)\" not allowed in binary scalar expression", at: token)
        }
        if matching != nil && !bothVectors {
            throw error("vector matching only allowed between instant vectors", at: token)
        }
        var finalMatching = matching
        if bothVectors {
            var result =
                matching ?? VectorMatching(cardinality: .oneToOne, on: false, labels: [], include: [], explicit: false)
            if op.isSetOperator { result.cardinality = .manyToMany }
            finalMatching = result
        }
        return .binary(BinaryExpr(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool, matching: finalMatching))
    }

    /// `(a, b, c)` with an optional trailing comma; names may be keywords.
    mutating func parseLabelList(_ context: String) throws(PromQLError) -> [String] {
        try expect(.leftParen, context)
        var labels: [String] = []
        while current.kind != .rightParen {
            guard case .identifier(let name) = current.kind, Parser.isLabelName(name) else {
                throw unexpected(context + "; expected a label name")
            }
            _ = advance()
            labels.append(name)
            if current.kind == .comma {
                _ = advance()
            } else if current.kind != .rightParen {
                throw unexpected(context + "; expected \",\" or \")\"")
            }
        }
        _ = advance()
        return labels
    }

    /// `[a-zA-Z_][a-zA-Z0-9_]*`, the label names Prometheus accepts.
    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: ":"), !Lexer.isDigit(first) else { return false }
        return name.utf8.allSatisfy { Lexer.isIdentifierPart($0) && $0 != UInt8(ascii: ":") }
    }
}
