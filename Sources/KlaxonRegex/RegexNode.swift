/// One node of a parsed pattern (Go's `syntax.Regexp`).
struct RegexNode: Sendable {
    enum Op: UInt8, Sendable, Comparable {
        case noMatch = 1
        case emptyMatch
        case literal
        case charClass
        case anyCharNotNL
        case anyChar
        case beginLine
        case endLine
        case beginText
        case endText
        case wordBoundary
        case noWordBoundary
        case capture
        case star
        case plus
        case quest
        case `repeat`
        case concat
        case alternate
        // Pseudo-operators that only live on the parse stack.
        case leftParen = 128
        case verticalBar

        static func < (lhs: Op, rhs: Op) -> Bool { lhs.rawValue < rhs.rawValue }
        var isPseudo: Bool { rawValue >= 128 }
    }

    var op: Op
    var flags: RegexFlags = []
    /// Literal runes, or a class as sorted `lo, hi` pairs.
    var runes: [Rune] = []
    var subs: [RegexNode] = [] {
        didSet { measure() }
    }
    var min = 0
    var max = 0
    /// Capture index (1-based) of a capture or of the `(` that opened it; 0 for a plain group.
    var cap = 0
    var name: String?
    /// Height of the tree below and including this node (Go's `calcHeight`).
    private(set) var height = 1
    /// Compiled size estimate (Go's `calcSize`), saturating.
    private(set) var size: Int64 = 1

    init(_ op: Op, flags: RegexFlags = []) {
        self.op = op
        self.flags = flags
        measure()
    }

    /// Recomputes height and size after `op`, `runes`, `min`/`max` or `subs` changed.
    mutating func measure() {
        var tallest = 0
        for sub in subs where sub.height > tallest { tallest = sub.height }
        height = 1 + tallest
        size = computeSize()
    }

    private func computeSize() -> Int64 {
        let limit = RegexLimits.maxSize &* 4
        func add(_ a: Int64, _ b: Int64) -> Int64 { Swift.min(a &+ b, limit) }
        func mul(_ a: Int64, _ b: Int64) -> Int64 {
            let (value, overflow) = a.multipliedReportingOverflow(by: b)
            return overflow ? limit : Swift.min(value, limit)
        }
        var total: Int64 = 0
        switch op {
        case .literal: total = Int64(runes.count)
        case .capture, .star: total = add(2, subs.first?.size ?? 0)
        case .plus, .quest: total = add(1, subs.first?.size ?? 0)
        case .concat:
            for sub in subs { total = add(total, sub.size) }
        case .alternate:
            for sub in subs { total = add(total, sub.size) }
            if subs.count > 1 { total = add(total, Int64(subs.count - 1)) }
        case .repeat:
            let sub = subs.first?.size ?? 0
            if max == -1 {
                total = min == 0 ? add(2, sub) : add(1, mul(Int64(min), sub))
            } else {
                total = add(mul(Int64(max), sub), Int64(max - min))
            }
        default: total = 1
        }
        return Swift.max(total, 1)
    }
}
