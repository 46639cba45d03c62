/// A regex that must match the whole text, as Prometheus and Alertmanager compile label
/// matchers: `^(?:pattern)$`, Go's syntax. Shapes that rules use most skip the automaton
/// (Prometheus's `FastRegexMatcher` does the same): a list of literals is a set lookup, and
/// literals joined by `.*`/`.+` (case-insensitive ones too) are prefix, suffix and substring tests.
package final class AnchoredRegex: Sendable {
    /// The pattern as the user wrote it (without the anchors).
    package let pattern: String
    /// The compiled `^(?:pattern)$`.
    package let regex: Regex
    private let shape: Shape

    enum Shape: Sendable {
        case literals(Set<String>)
        case sequence(LiteralSequence)
        case general
    }

    /// Compiles `^(?:pattern)$`; throws Go's error, which names the anchored text as Go does.
    package init(_ pattern: String) throws(RegexError) {
        // Everything that can throw runs before a stored property is set: a class initializer
        // that throws with `self` half set has released its error twice in this toolchain.
        let anchored = Array("^(?:".utf8) + Array(pattern.utf8) + Array(")$".utf8)
        let parsed = try RegexParser.parse(anchored)
        self.pattern = pattern
        regex = Regex(parsed: parsed, bytes: anchored)
        shape = Self.shape(of: parsed.root)
    }

    /// Whether matching runs the automaton rather than a set lookup or literal tests: a
    /// caller may then match outside a lock, or check a deadline.
    package var isGeneral: Bool {
        if case .general = shape { return true }
        return false
    }

    /// Whether the whole of `text` matches.
    package func matches(_ text: String) -> Bool {
        (try? matches(text, interrupt: nil)) ?? false
    }

    /// `matches(_:)`, asking `interrupt` now and then during a long match; throws when it said stop.
    package func matches(_ text: String, interrupt: (() -> Bool)?) throws(RegexInterrupted) -> Bool {
        switch shape {
        case .literals(let set):
            return set.contains(text)
        case .sequence(let sequence):
            var text = text
            let answer = text.withUTF8 { sequence.matches($0) }
            if let answer { return answer }
            return try general(text, interrupt: interrupt)
        case .general:
            return try general(text, interrupt: interrupt)
        }
    }

    /// The automaton's answer, skipping the fast paths (for tests and the fuzz harness).
    package func matchesByAutomaton(_ text: String) -> Bool {
        (try? general(text, interrupt: nil)) ?? false
    }

    private func general(_ text: String, interrupt: (() -> Bool)?) throws(RegexInterrupted) -> Bool {
        var text = text
        // withUTF8 rethrows untyped errors, so the outcome comes out as a Result.
        let outcome = text.withUTF8 { buffer in
            Result { () throws(RegexInterrupted) in try regex.matches(buffer, interrupt: interrupt) }
        }
        return try outcome.get()
    }

    // MARK: - Shape analysis

    private static func shape(of root: RegexNode) -> Shape {
        guard root.op == .concat else { return .general }
        var nodes = root.subs[...]
        var sawBegin = false
        var sawEnd = false
        while let first = nodes.first, first.op == .beginText {
            nodes = nodes.dropFirst()
            sawBegin = true
        }
        while let last = nodes.last, last.op == .endText {
            nodes = nodes.dropLast()
            sawEnd = true
        }
        guard sawBegin, sawEnd else { return .general }
        if nodes.count == 1, let only = nodes.first, let set = literalSet(only) { return .literals(set) }
        if nodes.isEmpty { return .literals([""]) }
        var pieces: [LiteralSequence.Piece] = []
        for node in nodes {
            guard appendPieces(node, to: &pieces) else { return .general }
        }
        guard let sequence = LiteralSequence(pieces) else { return .general }
        return .sequence(sequence)
    }

    /// The strings an alternation of plain (case-sensitive) literals matches.
    private static func literalSet(_ node: RegexNode) -> Set<String>? {
        switch node.op {
        case .literal:
            guard !node.flags.contains(.foldCase), let text = string(node.runes) else { return nil }
            return [text]
        case .emptyMatch: return [""]
        case .capture: return node.subs.first.flatMap(literalSet)
        case .alternate:
            var set = Set<String>()
            for sub in node.subs {
                guard let more = literalSet(sub) else { return nil }
                set.formUnion(more)
            }
            return set
        default: return nil
        }
    }

    private static func string(_ runes: [Rune]) -> String? {
        var text = ""
        for r in runes {
            guard r >= 0, let scalar = Unicode.Scalar(UInt32(r)) else { return nil }
            text.unicodeScalars.append(scalar)
        }
        return text
    }

    private static func appendPieces(_ node: RegexNode, to pieces: inout [LiteralSequence.Piece]) -> Bool {
        switch node.op {
        case .literal:
            let fold = node.flags.contains(.foldCase)
            var bytes: [UInt8] = []
            for r in node.runes {
                // Case-insensitive literals are tested byte-wise, so they must be ASCII.
                if fold && (r >= 0x80 || r < 0) { return false }
                guard r >= 0, r <= RegexLimits.maxRune, !(0xD800...0xDFFF).contains(r) else { return false }
                UTF8Decoding.encode(r, into: &bytes)
            }
            pieces.append(.literal(bytes, fold: fold))
            return true
        case .emptyMatch:
            return true
        case .capture:
            guard let sub = node.subs.first else { return false }
            return appendPieces(sub, to: &pieces)
        case .concat:
            for sub in node.subs where !appendPieces(sub, to: &pieces) { return false }
            return true
        case .star, .plus:
            guard let sub = node.subs.first, sub.op == .anyChar || sub.op == .anyCharNotNL else { return false }
            pieces.append(.wildcard(minimum: node.op == .plus ? 1 : 0, newline: sub.op == .anyChar))
            return true
        default:
            return false
        }
    }
}
