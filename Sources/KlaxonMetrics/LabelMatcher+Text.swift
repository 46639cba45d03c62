extension LabelMatcher {
    /// Parses one matcher as Alertmanager writes them in `source_matchers`, silences and amtool:
    /// `name="value"`, `name!="value"`, `name=~"regex"`, `name!~"regex"`, or the value unquoted
    /// (`severity=P0`). Quoted values take Go's `\"`, `\\` and `\n` escapes.
    package init(parsing text: String) throws(LabelMatcherError) {
        var rest = Substring(text.trimmingSpaces)
        let name = rest.prefix { $0 == "_" || $0.isASCII && ($0.isLetter || $0.isNumber) }
        guard let first = name.first, !first.isNumber else {
            throw LabelMatcherError(
                description: "matcher \"\(text.prefix(80))\" must start with a label name ([a-zA-Z_][a-zA-Z0-9_]*)")
        }
        rest = Substring(rest.dropFirst(name.count).trimmingSpaces)
        let type: MatchType
        if rest.hasPrefix("=~") {
            type = .regexMatch
        } else if rest.hasPrefix("!~") {
            type = .regexNoMatch
        } else if rest.hasPrefix("!=") {
            type = .notEqual
        } else if rest.hasPrefix("=") {
            type = .equal
        } else {
            throw LabelMatcherError(
                description: "matcher \"\(text.prefix(80))\" needs an operator after \(name): =, !=, =~ or !~")
        }
        rest = Substring(rest.dropFirst(type == .equal ? 1 : 2).trimmingSpaces)
        let value = try Self.matcherValue(rest, in: text)
        try self.init(String(name), type, value)
    }

    /// The matcher in the form `init(parsing:)` reads back: `name="value"` with Go escapes.
    package var text: String {
        // Scalars, not Characters: a newline or quote followed by a combining mark is one
        // Character, and must still be escaped.
        var quoted = String.UnicodeScalarView()
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": quoted.append(contentsOf: "\\\"".unicodeScalars)
            case "\\": quoted.append(contentsOf: "\\\\".unicodeScalars)
            case "\n": quoted.append(contentsOf: "\\n".unicodeScalars)
            default: quoted.append(scalar)
            }
        }
        return "\(name)\(type.rawValue)\"\(String(quoted))\""
    }

    private static func matcherValue(_ rest: Substring, in text: String) throws(LabelMatcherError) -> String {
        guard rest.unicodeScalars.first == "\"" else {
            guard !rest.unicodeScalars.contains("\"") else {
                throw LabelMatcherError(description: "matcher \"\(text.prefix(80))\" has a stray quote in its value")
            }
            return String(rest)
        }
        var value = String.UnicodeScalarView()
        var escaped = false
        var closed = false
        let scalars = rest.unicodeScalars
        var index = scalars.index(after: scalars.startIndex)
        while index < scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            if escaped {
                switch scalar {
                case "n": value.append("\n")
                case "\"", "\\": value.append(scalar)
                default:
                    throw LabelMatcherError(
                        description:
                            "matcher \"\(text.prefix(80))\" has an unknown escape \\\(scalar); use \\\", \\\\ or \\n"
                    )
                }
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "\"" {
                closed = true
                break
            } else {
                value.append(scalar)
            }
        }
        guard closed else {
            throw LabelMatcherError(description: "matcher \"\(text.prefix(80))\" has an unterminated quoted value")
        }
        guard scalars[index...].allSatisfy({ $0 == " " || $0 == "\t" }) else {
            throw LabelMatcherError(description: "matcher \"\(text.prefix(80))\" has text after its quoted value")
        }
        return String(value)
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: Substring {
        let trimmed = drop { $0 == " " || $0 == "\t" }
        return Substring(trimmed.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
