import Foundation
import KlaxonRuntime

/// `match` and `reReplaceAll` over Foundation's regex engine, with Go's `(?P<name>…)` groups and
/// Go's `$1`, `${1}`, `$name`, `${name}`, `$$` replacement syntax. Patterns are unanchored, as in Go.
enum GoRegex {
    /// Longest pattern accepted; longer ones fail the call.
    static let maxPatternLength = 4096

    static func matches(_ pattern: String, _ text: String) throws(TemplateFunctions.CallError) -> Bool {
        let regex = try compile(pattern)
        return regex.firstMatch(in: text, range: NSRange(text.startIndex..<text.endIndex, in: text)) != nil
    }

    static func replaceAll(_ pattern: String, template: String, in text: String) throws(TemplateFunctions.CallError)
        -> String
    {
        let regex = try compile(pattern)
        let numbers = GoRegexExpansion.groupNumbers(in: pattern)
        let source = text as NSString
        var out = ""
        var last = 0
        var tooLong = false
        var previousEnd: Int?
        // Enumerating (not collecting) matches lets a runaway replacement stop early.
        regex.enumerateMatches(in: text, range: NSRange(location: 0, length: source.length)) { match, _, stop in
            guard let match else { return }
            // Go ignores an empty match that abuts the previous match; ICU reports it.
            if match.range.length == 0, match.range.location == previousEnd { return }
            previousEnd = match.range.location + match.range.length
            out += source.substring(with: NSRange(location: last, length: match.range.location - last))
            out += GoRegexExpansion.expand(template, match: match, in: source, groupNumbers: numbers)
            last = match.range.location + match.range.length
            if out.utf8.count > Template.maxOutput {
                tooLong = true
                stop.pointee = true
            }
        }
        guard !tooLong else { throw .init(message: "result is longer than \(Template.maxOutput) bytes") }
        out += source.substring(from: last)
        return out
    }

    private static func compile(_ pattern: String) throws(TemplateFunctions.CallError) -> NSRegularExpression {
        guard pattern.utf8.count <= maxPatternLength else {
            throw .init(message: "regexp: pattern longer than \(maxPatternLength) bytes")
        }
        do {
            // Go accepts the empty pattern (it matches everywhere); ICU needs it spelled `(?:)`.
            let translated = pattern.isEmpty ? "(?:)" : pattern.replacingOccurrences(of: "(?P<", with: "(?<")
            return try NSRegularExpression(pattern: translated)
        } catch {
            throw .init(message: "error parsing regexp: invalid pattern \(GoQuote.quote(pattern, delimiter: "\""))")
        }
    }
}
