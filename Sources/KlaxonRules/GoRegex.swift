import Foundation

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
        let names = groupNames(pattern)
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
            out += expand(template, match: match, source: source, names: names)
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

    /// Go's `Regexp.Expand` on one match.
    private static func expand(_ template: String, match: NSTextCheckingResult, source: NSString, names: [String: Int])
        -> String
    {
        var out = ""
        let scalars = Array(template.unicodeScalars)
        var index = 0
        func group(_ number: Int) -> String {
            guard number < match.numberOfRanges else { return "" }
            let range = match.range(at: number)
            return range.location == NSNotFound ? "" : source.substring(with: range)
        }
        while index < scalars.count {
            let scalar = scalars[index]
            index += 1
            guard scalar == "$", index < scalars.count else {
                out.unicodeScalars.append(scalar)
                continue
            }
            if scalars[index] == "$" {
                out += "$"
                index += 1
                continue
            }
            var name = ""
            var cursor = index
            if scalars[cursor] == "{" {
                cursor += 1
                while cursor < scalars.count, isNameScalar(scalars[cursor]) {
                    name.unicodeScalars.append(scalars[cursor])
                    cursor += 1
                }
                guard cursor < scalars.count, scalars[cursor] == "}", !name.isEmpty else {
                    out += "$"
                    continue
                }
                cursor += 1
            } else {
                while cursor < scalars.count, isNameScalar(scalars[cursor]) {
                    name.unicodeScalars.append(scalars[cursor])
                    cursor += 1
                }
                guard !name.isEmpty else {
                    out += "$"
                    continue
                }
            }
            index = cursor
            if let number = Int(name) {
                out += group(number)
            } else if let number = names[name] {
                out += group(number)
            }
        }
        return out
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII && isWordByte(UInt8(scalar.value))
    }

    /// Capture group numbers of named groups, counted by scanning the pattern.
    private static func groupNames(_ pattern: String) -> [String: Int] {
        let bytes = Array(pattern.utf8)
        var names: [String: Int] = [:]
        var number = 0
        var index = 0
        var inClass = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if inClass {
                if byte == UInt8(ascii: "]") { inClass = false }
            } else if byte == UInt8(ascii: "[") {
                inClass = true
            } else if byte == UInt8(ascii: "(") {
                let rest = bytes[(index + 1)...]
                if rest.first != UInt8(ascii: "?") {
                    number += 1
                } else if rest.starts(with: Array("?P<".utf8))
                    || (rest.starts(with: Array("?<".utf8))
                        && !rest.starts(with: Array("?<=".utf8)) && !rest.starts(with: Array("?<!".utf8)))
                {
                    number += 1
                    let nameStart = index + 1 + (rest.starts(with: Array("?P<".utf8)) ? 3 : 2)
                    if let close = bytes[nameStart...].firstIndex(of: UInt8(ascii: ">")) {
                        names[String(decoding: bytes[nameStart..<close], as: UTF8.self)] = number
                    }
                }
            }
            index += 1
        }
        return names
    }
}
