// MARK: - Tokens named as Prometheus 2.42's parser names them in "unexpected ..." errors

extension Token {
    private static let operatorWords: Set<String> = ["and", "or", "unless", "atan2"]
    private static let aggregatorWords: Set<String> = [
        "sum", "avg", "count", "min", "max", "group", "stddev", "stdvar", "topk", "bottomk", "count_values",
        "quantile",
    ]
    private static let keywordWords: Set<String> = [
        "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
    ]

    /// Prometheus's `Item.desc()`: `identifier "x"`, `number "1"`, `<op:+>`, `<aggr:sum>`, `<by>`, `"("`,
    /// `end of input`. Values longer than ten characters are cut to ten and marked `...`.
    func prometheusDescription(in text: [UInt8]) -> String {
        switch kind {
        case .end: return "end of input"
        case .identifier(let name):
            let lower = name.lowercased()
            if Self.operatorWords.contains(lower) { return "<op:\(name)>" }
            if Self.aggregatorWords.contains(lower) { return "<aggr:\(name)>" }
            if Self.keywordWords.contains(lower) { return "<\(name)>" }
            if lower == "inf" || lower == "nan" { return "number \(Self.quoted(name))" }
            if lower == "start" || lower == "end" { return Self.quoted(name, cut: false) }
            return "\(name.contains(":") ? "metric identifier" : "identifier") \(Self.quoted(name, cut: false))"
        case .number: return "number \(Self.quoted(Lexer.lexeme(of: self, in: text)))"
        case .duration: return "duration \(Self.quoted(Lexer.lexeme(of: self, in: text)))"
        case .string: return "string \(Self.quoted(Lexer.lexeme(of: self, in: text)))"
        case .plus, .minus, .star, .slash, .percent, .caret, .equal, .notEqual, .less, .greater, .lessOrEqual,
            .greaterOrEqual, .regexMatch, .regexNoMatch, .at:
            return "<op:\(symbol)>"
        default: return "\"\(symbol)\""
        }
    }

    /// Go's `%q`, or `%.10q...` for a number, duration or string longer than ten characters, as
    /// `Item.String()` prints it (identifiers are never cut).
    private static func quoted(_ value: String, cut: Bool = true) -> String {
        let characters = Array(value.unicodeScalars)
        let shown = cut && characters.count > 10 ? characters[0..<10] : characters[...]
        var out = "\""
        for scalar in shown {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\"" + (cut && characters.count > 10 ? "..." : "")
    }
}
