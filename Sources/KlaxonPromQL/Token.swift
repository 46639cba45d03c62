/// One lexical token of a PromQL expression.
struct Token: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case number(Double)
        case duration(Int64)
        case string(String)
        case identifier(String)
        case leftParen, rightParen, leftBrace, rightBrace, leftBracket, rightBracket
        case comma, colon, at, assign
        case plus, minus, star, slash, percent, caret
        case equal, notEqual, less, greater, lessOrEqual, greaterOrEqual
        case regexMatch, regexNoMatch
        case end
    }

    var kind: Kind
    /// UTF-8 offset of the first byte of the token.
    var offset: Int

    /// The token as it would be quoted in a message.
    var quoted: String {
        switch kind {
        case .number(let value): return "number \"\(formatNumber(value))\""
        case .duration(let value): return "duration \"\(formatDuration(value))\""
        case .string(let value): return "string \"\(value)\""
        case .identifier(let value): return "identifier \"\(value)\""
        case .end: return "end of input"
        default: return "\"\(symbol)\""
        }
    }

    var symbol: String {
        switch kind {
        case .leftParen: "("
        case .rightParen: ")"
        case .leftBrace: "{"
        case .rightBrace: "}"
        case .leftBracket: "["
        case .rightBracket: "]"
        case .comma: ","
        case .colon: ":"
        case .at: "@"
        case .assign: "="
        case .plus: "+"
        case .minus: "-"
        case .star: "*"
        case .slash: "/"
        case .percent: "%"
        case .caret: "^"
        case .equal: "=="
        case .notEqual: "!="
        case .less: "<"
        case .greater: ">"
        case .lessOrEqual: "<="
        case .greaterOrEqual: ">="
        case .regexMatch: "=~"
        case .regexNoMatch: "!~"
        default: ""
        }
    }
}

// MARK: - Formatting shared with Expr.description

/// Prints a number the way PromQL reads it back.
func formatNumber(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}

/// Prints milliseconds as a Prometheus duration such as `1h30m` or `500ms`.
func formatDuration(_ milliseconds: Int64) -> String {
    if milliseconds == 0 { return "0s" }
    var rest = milliseconds
    var out = rest < 0 ? "-" : ""
    rest = rest.magnitude > Int64.max.magnitude ? Int64.max : abs(rest)
    let units: [(String, Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000),
        ("m", 60_000), ("s", 1_000), ("ms", 1),
    ]
    for (unit, size) in units where rest >= size {
        out += "\(rest / size)\(unit)"
        rest %= size
    }
    return out
}
