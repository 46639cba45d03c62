/// A compiled pattern: Go's `syntax.Prog` instruction set, in flat arrays.
struct Program: Sendable {
    enum Op: UInt8, Sendable {
        case fail
        case alt
        case capture
        case emptyWidth
        case match
        case nop
        /// One rune in `ranges[pc]` (sorted `lo, hi` pairs).
        case rune
        case runeAny
        case runeAnyNotNL
    }

    /// Empty-width conditions (Go's `syntax.EmptyOp` bits).
    struct Empty: OptionSet, Sendable {
        let rawValue: UInt8
        static let beginLine = Empty(rawValue: 1)
        static let endLine = Empty(rawValue: 2)
        static let beginText = Empty(rawValue: 4)
        static let endText = Empty(rawValue: 8)
        static let wordBoundary = Empty(rawValue: 16)
        static let noWordBoundary = Empty(rawValue: 32)

        /// The conditions that hold between rune `before` and rune `after` (-1 for the text's ends).
        static func between(_ before: Rune, _ after: Rune) -> Empty {
            var flags: Empty = []
            if before < 0 { flags.formUnion([.beginText, .beginLine]) }
            if before == 10 { flags.insert(.beginLine) }
            if after < 0 { flags.formUnion([.endText, .endLine]) }
            if after == 10 { flags.insert(.endLine) }
            flags.insert(isWordRune(before) != isWordRune(after) ? .wordBoundary : .noWordBoundary)
            return flags
        }

        /// `\b`'s word characters: ASCII letters, digits and `_`, as in Go.
        @inline(__always)
        static func isWordRune(_ r: Rune) -> Bool {
            (r >= 0x61 && r <= 0x7A) || (r >= 0x41 && r <= 0x5A) || (r >= 0x30 && r <= 0x39) || r == 0x5F
        }
    }

    var ops: [Op] = []
    var outs: [UInt32] = []
    /// Alt: the second branch; capture: the slot; emptyWidth: the `Empty` bits.
    var args: [UInt32] = []
    var ranges: [[Rune]] = []
    var start = 0
    /// Capture slots: two per group plus two for the whole match.
    var slotCount = 2

    var count: Int { ops.count }

    /// Whether `r` satisfies the rune instruction at `pc`.
    @inline(__always)
    func matchesRune(_ pc: Int, _ r: Rune) -> Bool {
        switch ops[pc] {
        case .runeAny: return true
        case .runeAnyNotNL: return r != 10
        case .rune:
            let set = ranges[pc]
            if set.count == 2 { return r >= set[0] && r <= set[1] }
            if set.count <= 8 {
                var i = 0
                while i < set.count {
                    if r < set[i] { return false }
                    if r <= set[i + 1] { return true }
                    i += 2
                }
                return false
            }
            return CharClass.contains(set, r)
        default: return false
        }
    }

    /// Whether any instruction is an empty-width assertion other than begin/end of text.
    var hasContextAssertions: Bool {
        for pc in 0..<count where ops[pc] == .emptyWidth {
            let empty = Empty(rawValue: UInt8(truncatingIfNeeded: args[pc]))
            if !empty.subtracting([.beginText, .endText]).isEmpty { return true }
        }
        return false
    }
}
