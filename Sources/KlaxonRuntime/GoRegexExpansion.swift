import Foundation

/// Go's `Regexp.Expand` over a Foundation match: `$1`, `${1}`, `$name`, `${name}` and `$$` in a
/// replacement template; a group the pattern lacks (or that did not take part) expands to nothing.
///
/// `label_replace` (KlaxonPromQL) and the templates' `reReplaceAll` (KlaxonTemplate) both expand
/// this way, so it sits below both modules, here.
package enum GoRegexExpansion {
    /// The capture group number of each named group in `pattern` (`(?P<name>…)` or `(?<name>…)`),
    /// counted by scanning the pattern: asking Foundation for a name the pattern lacks is not safe
    /// on every platform.
    package static func groupNumbers(in pattern: String) -> [String: Int] {
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

    /// `template` expanded for `match` in `source`; `groupNumbers` from `groupNumbers(in:)`.
    package static func expand(
        _ template: String, match: NSTextCheckingResult, in source: NSString, groupNumbers: [String: Int]
    ) -> String {
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
            let braced = scalars[cursor] == "{"
            if braced { cursor += 1 }
            while cursor < scalars.count, isNameScalar(scalars[cursor]) {
                name.unicodeScalars.append(scalars[cursor])
                cursor += 1
            }
            if braced {
                guard cursor < scalars.count, scalars[cursor] == "}", !name.isEmpty else {
                    out += "$"
                    continue
                }
                cursor += 1
            } else if name.isEmpty {
                out += "$"
                continue
            }
            index = cursor
            if let number = Int(name) ?? groupNumbers[name] { out += group(number) }
        }
        return out
    }

    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_": true
        default: false
        }
    }
}
