/// Literals joined by `.*` / `.+`, matched against a whole text without an automaton:
/// the first literal is a prefix, the last a suffix, and each one between is found leftmost
/// after the one before (leftmost placement leaves the most room for the rest, so it is exact).
struct LiteralSequence: Sendable {
    enum Piece {
        case literal([UInt8], fold: Bool)
        case wildcard(minimum: Int, newline: Bool)
    }

    /// A run of literal bytes; `fold[i]` when byte `i` matches ASCII case-insensitively.
    struct Segment: Sendable {
        var bytes: [UInt8] = []
        var fold: [Bool] = []
        var anyFold = false

        mutating func append(_ more: [UInt8], fold folded: Bool) {
            bytes += more
            fold += Array(repeating: folded, count: more.count)
            anyFold = anyFold || folded
        }

        @inline(__always)
        func matches(_ text: UnsafeBufferPointer<UInt8>, at start: Int) -> Bool {
            guard start >= 0, start + bytes.count <= text.count else { return false }
            var i = 0
            while i < bytes.count {
                let a = text[start + i]
                let b = bytes[i]
                if a != b {
                    guard fold[i], a | 0x20 == b | 0x20, (a | 0x20) >= 0x61, (a | 0x20) <= 0x7A else { return false }
                }
                i += 1
            }
            return true
        }

        /// The leftmost occurrence at or after `from` that ends by `limit`.
        func find(in text: UnsafeBufferPointer<UInt8>, from: Int, limit: Int) -> Int? {
            var start = from
            while start + bytes.count <= limit {
                if matches(text, at: start) { return start }
                start += 1
            }
            return nil
        }
    }

    /// Segments with the wildcard gaps between them: `segments.count == gaps.count + 1`.
    private var segments: [Segment] = []
    private var gaps: [Int] = []
    private var newlineAllowed = true
    private var anyFold = false

    /// Nil when the pieces do not fit the shape (a gap of two or more runes).
    init?(_ pieces: [Piece]) {
        var current = Segment()
        var gap: Int?
        for piece in pieces {
            switch piece {
            case .literal(let bytes, let fold):
                if let pending = gap {
                    segments.append(current)
                    gaps.append(pending)
                    current = Segment()
                    gap = nil
                }
                current.append(bytes, fold: fold)
                anyFold = anyFold || fold
            case .wildcard(let minimum, let newline):
                gap = (gap ?? 0) + minimum
                newlineAllowed = newlineAllowed && newline
            }
        }
        if let pending = gap {
            segments.append(current)
            gaps.append(pending)
            current = Segment()
        }
        segments.append(current)
        // A gap of several runes is not a byte count on non-ASCII text: leave it to the automaton.
        guard gaps.allSatisfy({ $0 <= 1 }) else { return nil }
    }

    /// Whether the whole text matches; nil when this text needs the automaton (a newline where
    /// `.` excludes it, or non-ASCII text against a case-insensitive literal).
    func matches(_ text: UnsafeBufferPointer<UInt8>) -> Bool? {
        if !newlineAllowed || anyFold {
            for byte in text {
                if byte == 10 && !newlineAllowed { return nil }
                if byte >= 0x80 && anyFold { return nil }
            }
        }
        guard let first = segments.first, let last = segments.last else { return false }
        if gaps.isEmpty { return first.bytes.count == text.count && first.matches(text, at: 0) }
        let end = text.count - last.bytes.count
        guard end >= first.bytes.count, first.matches(text, at: 0), last.matches(text, at: end) else { return false }
        var position = first.bytes.count
        for index in 1..<segments.count - 1 {
            guard let found = segments[index].find(in: text, from: position + gaps[index - 1], limit: end) else {
                return false
            }
            position = found + segments[index].bytes.count
        }
        return end - position >= (gaps.last ?? 0)
    }
}
