import Foundation
import Testing

@testable import KlaxonRegex

/// Every case of Go's `re2-search.txt`: match and submatch positions for leftmost-first and
/// leftmost-longest search, whole-text and unanchored, and the yes/no answer of the fast path.
@Suite struct RE2SearchConformanceTests {
    struct Outcome {
        var cases = 0
        var checked = 0
        var skipped = 0
        var failures: [String] = []
    }

    static func run() -> Outcome {
        var outcome = Outcome()
        var strings: [[UInt8]] = []
        var inputs: [[UInt8]] = []
        var inStrings = false
        var regex: Regex?
        var full: Regex?
        var usesNotWordBoundary = false
        var patternText = ""
        for (number, line) in RE2Data.lines("re2-search.txt").enumerated() {
            guard let first = line.utf8.first else { continue }
            if first == UInt8(ascii: "#") || (first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z")) { continue }
            if line == "strings" {
                strings = []
                inStrings = true
            } else if line == "regexps" {
                inStrings = false
            } else if first == UInt8(ascii: "\"") {
                guard let bytes = GoQuoted.unquote(line) else {
                    outcome.failures.append("line \(number + 1): cannot unquote \(line)")
                    continue
                }
                if inStrings {
                    strings.append(bytes)
                    continue
                }
                inputs = strings
                patternText = line
                usesNotWordBoundary = line.contains("\\\\B")
                do {
                    regex = try Regex(bytes: bytes)
                    full = try Regex(bytes: Array("\\A(?:".utf8) + bytes + Array(")\\z".utf8))
                } catch {
                    regex = nil
                    full = nil
                    if error.description != "error parsing regexp: invalid escape sequence: `\\C`" {
                        outcome.failures.append("line \(number + 1): \(line) refused: \(error)")
                    }
                }
            } else {
                outcome.cases += 1
                guard !inputs.isEmpty else { continue }
                let text = inputs.removeFirst()
                guard let regex, let full else {
                    outcome.skipped += 1
                    continue
                }
                if usesNotWordBoundary && text.contains(where: { $0 >= 0x80 }) {
                    outcome.skipped += 1
                    continue
                }
                outcome.checked += 1
                let wants = line.split(separator: ";").map { parse(String($0)) }
                let haves = text.withUnsafeBufferPointer { buffer in
                    [
                        try? full.firstMatch(in: buffer), try? regex.firstMatch(in: buffer),
                        try? full.firstMatch(in: buffer, longest: true),
                        try? regex.firstMatch(in: buffer, longest: true),
                    ]
                }
                let matched = text.withUnsafeBufferPointer { buffer in
                    [try? full.matches(buffer), try? regex.matches(buffer)]
                }
                for index in 0..<4 where index < wants.count {
                    let have = haves[index].map { Array($0.prefix(wants[index]?.count ?? $0.count)) } ?? nil
                    if have != wants[index] {
                        outcome.failures.append(
                            "line \(number + 1): \(patternText) on \(String(decoding: text, as: UTF8.self).debugDescription) "
                                + "run \(index): have \(String(describing: haves[index])), want \(String(describing: wants[index]))"
                        )
                    }
                }
                for index in 0..<2 where (matched[index] ?? false) != (wants[index] != nil) {
                    outcome.failures.append(
                        "line \(number + 1): \(patternText) on \(String(decoding: text, as: UTF8.self).debugDescription) "
                            + "matches() run \(index) = \(String(describing: matched[index]))")
                }
            }
        }
        return outcome
    }

    static func parse(_ result: String) -> [Int]? {
        if result == "-" { return nil }
        var slots: [Int] = []
        for pair in result.split(separator: " ") {
            if pair == "-" {
                slots += [-1, -1]
                continue
            }
            let bounds = pair.split(separator: "-").compactMap { Int($0) }
            slots += bounds
        }
        return slots
    }

    @Test func everyCaseGivesGosPositions() {
        let outcome = Self.run()
        #expect(outcome.cases == 1_888, "read \(outcome.cases) cases from \(RE2Data.folder().path)")
        #expect(
            outcome.failures.isEmpty,
            "\(outcome.failures.count) failures:\n\(outcome.failures.prefix(30).joined(separator: "\n"))")
        print(
            "re2-search: \(outcome.cases) cases, \(outcome.checked) checked, \(outcome.skipped) skipped as Go skips them"
        )
    }
}
