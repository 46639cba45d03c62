// MARK: - Aggregations and function calls

extension Parser {
    mutating func parseAggregation(_ op: AggregateOperator) throws(PromQLError) -> Expr {
        let opToken = advance()
        var grouping: [String] = []
        var without = false
        var hasGrouping = false
        if isKeyword("by") || isKeyword("without") {
            without = isKeyword("without")
            _ = advance()
            grouping = try parseLabelList("in grouping clause")
            hasGrouping = true
        }
        guard current.kind == .leftParen else { throw unexpected("in aggregation; expected \"(\"") }
        _ = advance()
        var args: [Expr] = []
        while current.kind != .rightParen {
            args.append(try parseExpr(minPrecedence: 1))
            if current.kind == .comma {
                _ = advance()
            } else if current.kind != .rightParen {
                throw unexpected("in aggregation; expected \",\" or \")\"")
            }
        }
        _ = advance()
        if isKeyword("by") || isKeyword("without") {
            if hasGrouping { throw error("aggregation must only contain one grouping clause") }
            without = isKeyword("without")
            _ = advance()
            grouping = try parseLabelList("in grouping clause")
            hasGrouping = true
        }
        let expected = op.parameterType == nil ? 1 : 2
        guard args.count == expected else {
            throw error(
                "wrong number of arguments for aggregate expression \(op.rawValue): expected \(expected), got \(args.count)",
                at: opToken)
        }
        let body = args[args.count - 1]
        guard body.type == .vector else {
            throw error(
                "expected type instant vector in aggregation expression, got \(body.type.rawValue)", at: opToken)
        }
        var parameter: Expr?
        if let type = op.parameterType {
            let param = args[0]
            guard param.type == type else {
                throw error(
                    "expected type \(type.rawValue) in aggregation parameter, got \(param.type.rawValue)", at: opToken)
            }
            parameter = param
        }
        return .aggregate(
            AggregateExpr(
                op: op, parameter: parameter, body: body, grouping: grouping, without: without, hasGrouping: hasGrouping
            ))
    }

    mutating func parseCall(_ name: String, at nameToken: Token) throws(PromQLError) -> Expr {
        guard let function = Function(rawValue: name) else {
            throw error("unknown function with name \"\(name)\"", at: nameToken)
        }
        _ = advance()
        var args: [Expr] = []
        var argTokens: [Token] = []
        while current.kind != .rightParen {
            argTokens.append(current)
            args.append(try parseExpr(minPrecedence: 1))
            if current.kind == .comma {
                _ = advance()
            } else if current.kind != .rightParen {
                throw unexpected("in call to function \"\(name)\"; expected \",\" or \")\"")
            }
        }
        _ = advance()
        let signature = function.signature
        let required = signature.args.count - signature.optionalCount
        if args.count < required || (!signature.variadic && args.count > signature.args.count) {
            let count =
                signature.variadic
                ? "at least \(required)"
                : signature.optionalCount > 0 ? "\(required) to \(signature.args.count)" : "\(required)"
            throw error(
                "expected \(count) argument(s) in call to function \"\(name)\", got \(args.count)", at: nameToken)
        }
        for (index, arg) in args.enumerated() {
            let expected = signature.args[min(index, signature.args.count - 1)]
            guard arg.type == expected else {
                throw error(
                    "expected type \(expected.rawValue) in call to function \"\(name)\", got \(arg.type.rawValue)",
                    at: argTokens[index])
            }
        }
        return .call(FunctionCall(function: function, args: args))
    }
}
