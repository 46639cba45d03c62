import KlaxonRegex
import KlaxonRuntime

/// `match` and `reReplaceAll` over KlaxonRegex, Go's syntax and semantics: patterns are
/// unanchored, replacements take `$1`, `${1}`, `$name`, `${name}` and `$$` (Go's `Expand`).
enum GoRegex {
    /// Longest pattern accepted; longer ones fail the call.
    static let maxPatternLength = 4096

    /// `regexp.MatchString`: a pattern Go refuses is the call's error, in Go's words.
    static func matches(_ pattern: String, _ text: String) throws(TemplateFunctions.CallError) -> Bool {
        let regex = try compile(pattern, mustCompile: false)
        return regex.matches(text)
    }

    /// `regexp.MustCompile(pattern).ReplaceAllString(text, template)`.
    static func replaceAll(_ pattern: String, template: String, in text: String) throws(TemplateFunctions.CallError)
        -> String
    {
        let regex = try compile(pattern, mustCompile: true)
        guard let out = regex.replaceAll(in: text, template: template, maxBytes: Template.maxOutput) else {
            throw .init(message: "result is longer than \(Template.maxOutput) bytes")
        }
        return out
    }

    /// The compiled pattern; `mustCompile` words a refusal as `regexp.MustCompile`'s panic.
    private static func compile(_ pattern: String, mustCompile: Bool) throws(TemplateFunctions.CallError) -> Regex {
        guard pattern.utf8.count <= maxPatternLength else {
            throw .init(message: "regexp: pattern longer than \(maxPatternLength) bytes")
        }
        do {
            return try Regex(pattern)
        } catch {
            guard mustCompile else { throw .init(message: error.description) }
            throw .init(message: "regexp: Compile(\(goQuote(pattern))): \(error.description)")
        }
    }

    /// Go's `regexp.quote`: backquoted when `strconv.CanBackquote`, else double-quoted.
    private static func goQuote(_ text: String) -> String {
        let canBackquote = text.unicodeScalars.allSatisfy { scalar in
            scalar != "`" && scalar != "\u{FEFF}" && scalar != "\u{7F}" && (scalar.value >= 0x20 || scalar == "\t")
        }
        return canBackquote ? "`" + text + "`" : GoQuote.quote(text, delimiter: "\"")
    }
}
