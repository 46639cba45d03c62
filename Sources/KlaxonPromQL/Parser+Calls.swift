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
            grouping = try parseLabelList()
            hasGrouping = true
        }
        guard current.kind == .leftParen else { throw unexpected("aggregation") }
        _ = advance()
        let (args, argTokens) = try parseArguments()
        if isKeyword("by") || isKeyword("without") {
            if hasGrouping { throw unexpected() }
            without = isKeyword("without")
            _ = advance()
            grouping = try parseLabelList()
            hasGrouping = true
        }
        let expected = op.parameterType == nil ? 1 : 2
        guard let body = args.last else {
            throw error("no arguments for aggregate expression provided", at: opToken)
        }
        guard args.count == expected else {
            throw error(
                "wrong number of arguments for aggregate expression provided, expected \(expected), got \(args.count)",
                at: opToken)
        }
        guard !checksTypes || body.type == .vector else {
            throw error(
                "expected type instant vector in aggregation expression, got \(body.type.rawValue)",
                at: argTokens[args.count - 1])
        }
        var parameter: Expr?
        if let type = op.parameterType {
            let param = args[0]
            guard !checksTypes || param.type == type else {
                throw error(
                    "expected type \(type.rawValue) in aggregation parameter, got \(param.type.rawValue)",
                    at: argTokens[0])
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
        let (args, argTokens) = try parseArguments()
        let signature = function.signature
        let required = signature.args.count - signature.optionalCount
        // Prometheus's wording: an exact count, or "at least" / "at most" for functions with optional arguments.
        var count: String?
        if signature.optionalCount == 0 && !signature.variadic {
            if args.count != required { count = "\(required)" }
        } else if args.count < required {
            count = "at least \(required)"
        } else if !signature.variadic && args.count > signature.args.count {
            count = "at most \(signature.args.count)"
        }
        if checksTypes, let count {
            throw error("expected \(count) argument(s) in call to \"\(name)\", got \(args.count)", at: nameToken)
        }
        // Only a checked call has as many arguments as its signature allows.
        for (index, arg) in args.enumerated() where checksTypes {
            let expected = signature.args[min(index, signature.args.count - 1)]
            guard arg.type == expected else {
                throw error(
                    "expected type \(expected.rawValue) in call to function \"\(name)\", got \(arg.type.rawValue)",
                    at: argTokens[index])
            }
        }
        return .call(FunctionCall(function: function, args: args))
    }

    /// The arguments up to and including `)`, with the token each starts at.
    private mutating func parseArguments() throws(PromQLError) -> ([Expr], [Token]) {
        var args: [Expr] = []
        var argTokens: [Token] = []
        while current.kind != .rightParen {
            argTokens.append(current)
            args.append(try parseExpr(minPrecedence: 1))
            if current.kind == .comma {
                let comma = advance()
                if current.kind == .rightParen {
                    throw error("trailing commas not allowed in function call args", at: comma)
                }
            } else if current.kind != .rightParen {
                throw unexpected()
            }
        }
        _ = advance()
        return (args, argTokens)
    }
}
