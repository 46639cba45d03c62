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
        var quoted = ""
        for character in value {
            switch character {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case "\n": quoted += "\\n"
            default: quoted.append(character)
            }
        }
        return "\(name)\(type.rawValue)\"\(quoted)\""
    }

    private static func matcherValue(_ rest: Substring, in text: String) throws(LabelMatcherError) -> String {
        guard rest.first == "\"" else {
            guard !rest.contains("\"") else {
                throw LabelMatcherError(description: "matcher \"\(text.prefix(80))\" has a stray quote in its value")
            }
            return String(rest)
        }
        var value = ""
        var escaped = false
        var closed = false
        var index = rest.index(after: rest.startIndex)
        while index < rest.endIndex {
            let character = rest[index]
            index = rest.index(after: index)
            if escaped {
                switch character {
                case "n": value.append("\n")
                case "\"", "\\": value.append(character)
                default:
                    throw LabelMatcherError(
                        description:
                            "matcher \"\(text.prefix(80))\" has an unknown escape \\\(character); use \\\", \\\\ or \\n"
                    )
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                closed = true
                break
            } else {
                value.append(character)
            }
        }
        guard closed else {
            throw LabelMatcherError(description: "matcher \"\(text.prefix(80))\" has an unterminated quoted value")
        }
        guard rest[index...].allSatisfy({ $0 == " " || $0 == "\t" }) else {
            throw LabelMatcherError(description: "matcher \"\(text.prefix(80))\" has text after its quoted value")
        }
        return value
    }
}

extension StringProtocol {
    fileprivate var trimmingSpaces: Substring {
        let trimmed = drop { $0 == " " || $0 == "\t" }
        return Substring(trimmed.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
