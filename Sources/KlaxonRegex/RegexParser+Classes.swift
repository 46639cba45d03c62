// MARK: - Character classes

extension RegexParser {
    /// A bracketed class at `s` (`[`); pushes it and returns where parsing resumes.
    mutating func parseClass(_ s: Int) throws(RegexError) -> Int {
        let end = bytes.count
        var t = s + 1
        var negated = false
        var runes: [Rune] = []
        if t < end && bytes[t] == UInt8(ascii: "^") {
            negated = true
            t += 1
            // Without ClassNL a negated class must not match \n: add it so negation removes it.
            if !flags.contains(.classNL) { runes = [10, 10] }
        }
        var first = true
        while t >= end || bytes[t] != UInt8(ascii: "]") || first {
            if t < end && bytes[t] == UInt8(ascii: "-") && !flags.contains(.perlX) && !first
                && (t + 1 == end || bytes[t + 1] != UInt8(ascii: "]"))
            {
                let (_, width) = decodeRune(t + 1)
                throw RegexError(.invalidCharRange, bytes[t..<(t + 1 + width)], at: t)
            }
            first = false
            if end - t > 2 && bytes[t] == UInt8(ascii: "[") && bytes[t + 1] == UInt8(ascii: ":") {
                if let next = try parseNamedClass(t, into: &runes) {
                    t = next
                    continue
                }
            }
            if let next = try parseUnicodeClass(t, into: &runes) {
                t = next
                continue
            }
            if let next = parsePerlClassEscape(t, into: &runes) {
                t = next
                continue
            }
            let rangeStart = t
            let (lo, afterLo) = try parseClassChar(t, wholeClass: s)
            t = afterLo
            var hi = lo
            if end - t >= 2 && bytes[t] == UInt8(ascii: "-") && bytes[t + 1] != UInt8(ascii: "]") {
                let (high, afterHi) = try parseClassChar(t + 1, wholeClass: s)
                t = afterHi
                hi = high
                if hi < lo { throw RegexError(.invalidCharRange, bytes[rangeStart..<t], at: rangeStart) }
            }
            if flags.contains(.foldCase) {
                CharClass.appendFoldedRange(&runes, lo, hi)
            } else {
                CharClass.appendRange(&runes, lo, hi)
            }
        }
        t += 1
        runes = CharClass.clean(runes)
        if negated { runes = CharClass.negate(runes) }
        var node = RegexNode(.charClass, flags: flags)
        node.runes = runes
        try push(node)
        return t
    }

    private func parseClassChar(_ s: Int, wholeClass: Int) throws(RegexError) -> (Rune, Int) {
        guard s < bytes.count else {
            throw RegexError(.missingBracket, bytes[wholeClass...], at: wholeClass)
        }
        if bytes[s] == UInt8(ascii: "\\") { return try parseEscape(s) }
        return try nextRune(s)
    }

    /// `\d`, `\s`, `\w` and their negations at `s`; appends the class and returns the next index.
    func parsePerlClassEscape(_ s: Int, into runes: inout [Rune]) -> Int? {
        guard flags.contains(.perlX), s + 1 < bytes.count, bytes[s] == UInt8(ascii: "\\"),
            let group = CharClass.perlGroup(bytes[s + 1])
        else { return nil }
        appendGroup(&runes, group)
        return s + 2
    }

    /// `[:alpha:]` and the other POSIX classes at `s`.
    private func parseNamedClass(_ s: Int, into runes: inout [Rune]) throws(RegexError) -> Int? {
        let end = bytes.count
        guard end - s >= 2, bytes[s] == UInt8(ascii: "["), bytes[s + 1] == UInt8(ascii: ":") else { return nil }
        var i = s + 2
        while i + 1 < end && !(bytes[i] == UInt8(ascii: ":") && bytes[i + 1] == UInt8(ascii: "]")) { i += 1 }
        guard i + 1 < end else { return nil }
        let nameBytes = bytes[s..<(i + 2)]
        guard let group = CharClass.posixGroup(String(decoding: nameBytes, as: UTF8.self)) else {
            throw RegexError(.invalidCharRange, nameBytes, at: s)
        }
        appendGroup(&runes, group)
        return i + 2
    }

    private func appendGroup(_ runes: inout [Rune], _ group: CharClass.Group) {
        var ranges = group.ranges
        if flags.contains(.foldCase) {
            var folded: [Rune] = []
            CharClass.appendFoldedClass(&folded, ranges)
            ranges = CharClass.clean(folded)
        }
        if group.negated {
            CharClass.appendNegatedClass(&runes, ranges)
        } else {
            CharClass.appendClass(&runes, ranges)
        }
    }

    /// `\pL`, `\p{Greek}`, `\PL`, `\p{^Greek}` at `s`; nil when `s` is not such an escape.
    func parseUnicodeClass(_ s: Int, into runes: inout [Rune]) throws(RegexError) -> Int? {
        let end = bytes.count
        guard flags.contains(.unicodeGroups), end - s >= 2, bytes[s] == UInt8(ascii: "\\"),
            bytes[s + 1] == UInt8(ascii: "p") || bytes[s + 1] == UInt8(ascii: "P")
        else { return nil }
        var negated = bytes[s + 1] == UInt8(ascii: "P")
        let (c, afterC) = try nextRune(s + 2)
        var sequenceEnd: Int
        var nameBytes: ArraySlice<UInt8>
        if c != Rune(UInt8(ascii: "{")) {
            sequenceEnd = afterC
            nameBytes = bytes[(s + 2)..<afterC]
        } else {
            guard let close = bytes[s...].firstIndex(of: UInt8(ascii: "}")) else {
                try checkUTF8(s, end)
                throw RegexError(.invalidCharRange, bytes[s...], at: s)
            }
            sequenceEnd = close + 1
            nameBytes = bytes[(s + 3)..<close]
            try checkUTF8(s + 3, close)
        }
        if nameBytes.first == UInt8(ascii: "^") {
            negated.toggle()
            nameBytes = nameBytes.dropFirst()
        }
        guard let (table, fold) = CharClass.unicodeTable(String(decoding: nameBytes, as: UTF8.self)) else {
            throw RegexError(.invalidCharRange, bytes[s..<sequenceEnd], at: s)
        }
        if !flags.contains(.foldCase) || fold == nil {
            if negated {
                CharClass.appendNegatedTable(&runes, table)
            } else {
                CharClass.appendTable(&runes, table)
            }
        } else {
            var merged: [Rune] = []
            CharClass.appendTable(&merged, table)
            CharClass.appendTable(&merged, fold ?? [])
            merged = CharClass.clean(merged)
            if negated {
                CharClass.appendNegatedClass(&runes, merged)
            } else {
                CharClass.appendClass(&runes, merged)
            }
        }
        return sequenceEnd
    }
}
