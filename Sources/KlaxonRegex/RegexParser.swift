/// A pattern parsed as Go's `syntax.Parse` parses it.
struct ParsedPattern: Sendable {
    var root: RegexNode
    /// Number of capture groups.
    var captureCount: Int
    /// Name of each group, index 0 the whole match; nil for unnamed groups.
    var captureNames: [String?]
}

/// Go's `regexp/syntax` parser: the same grammar, flags, limits and error codes, so a pattern
/// Prometheus refuses is refused here with the same words. Written from Go's documented behaviour
/// (a stack of partial results with `(` and `|` markers); the tree it builds is not Go's byte for
/// byte (no prefix factoring), only equal in meaning.
struct RegexParser {
    let bytes: [UInt8]
    var flags: RegexFlags
    var stack: [RegexNode] = []
    var numCap = 0
    var numRunes = 0
    var names: [String?] = [nil]

    /// Parses `pattern` with `flags` (`RegexFlags.perl` for `regexp.Compile`).
    static func parse(_ pattern: [UInt8], flags: RegexFlags = .perl) throws(RegexError) -> ParsedPattern {
        var parser = RegexParser(bytes: pattern, flags: flags)
        let root = try parser.run()
        return ParsedPattern(root: root, captureCount: parser.numCap, captureNames: parser.names)
    }

    // MARK: - Main loop

    private mutating func run() throws(RegexError) -> RegexNode {
        let end = bytes.count
        var t = 0
        var lastRepeat: Int?
        while t < end {
            var repeatStart: Int?
            switch bytes[t] {
            case UInt8(ascii: "("):
                if flags.contains(.perlX), t + 1 < end, bytes[t + 1] == UInt8(ascii: "?") {
                    t = try parsePerlFlags(t)
                    break
                }
                numCap += 1
                names.append(nil)
                var paren = RegexNode(.leftParen, flags: flags)
                paren.cap = numCap
                try push(paren)
                t += 1
            case UInt8(ascii: "|"):
                try concat()
                if !swapVerticalBar() { try push(RegexNode(.verticalBar, flags: flags)) }
                t += 1
            case UInt8(ascii: ")"):
                try parseRightParen()
                t += 1
            case UInt8(ascii: "^"):
                try push(RegexNode(flags.contains(.oneLine) ? .beginText : .beginLine, flags: flags))
                t += 1
            case UInt8(ascii: "$"):
                if flags.contains(.oneLine) {
                    try push(RegexNode(.endText, flags: flags.union(.wasDollar)))
                } else {
                    try push(RegexNode(.endLine, flags: flags))
                }
                t += 1
            case UInt8(ascii: "."):
                try push(RegexNode(flags.contains(.dotNL) ? .anyChar : .anyCharNotNL, flags: flags))
                t += 1
            case UInt8(ascii: "["):
                t = try parseClass(t)
            case UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "?"):
                let op: RegexNode.Op =
                    switch bytes[t] {
                    case UInt8(ascii: "*"): .star
                    case UInt8(ascii: "+"): .plus
                    default: .quest
                    }
                let before = t
                t = try `repeat`(op, min: 0, max: 0, before: before, after: t + 1, lastRepeat: lastRepeat)
                repeatStart = before
            case UInt8(ascii: "{"):
                let before = t
                guard let (min, max, after) = parseRepeat(t) else {
                    try literal(Rune(UInt8(ascii: "{")))
                    t += 1
                    break
                }
                if min < 0 || min > RegexLimits.maxRepeat || max > RegexLimits.maxRepeat || (max >= 0 && min > max) {
                    throw RegexError(.invalidRepeatSize, bytes[before..<after], at: before)
                }
                t = try `repeat`(.repeat, min: min, max: max, before: before, after: after, lastRepeat: lastRepeat)
                repeatStart = before
            case UInt8(ascii: "\\"):
                t = try parseBackslash(t)
            default:
                let (c, next) = try nextRune(t)
                try literal(c)
                t = next
            }
            lastRepeat = repeatStart
        }
        try concat()
        if swapVerticalBar() { stack.removeLast() }
        try alternate()
        guard stack.count == 1, let root = stack.first else {
            throw RegexError(.missingParen, bytes, at: end)
        }
        return root
    }

    private mutating func parseBackslash(_ t: Int) throws(RegexError) -> Int {
        let end = bytes.count
        if flags.contains(.perlX), t + 1 < end {
            switch bytes[t + 1] {
            case UInt8(ascii: "A"):
                try push(RegexNode(.beginText, flags: flags))
                return t + 2
            case UInt8(ascii: "b"):
                try push(RegexNode(.wordBoundary, flags: flags))
                return t + 2
            case UInt8(ascii: "B"):
                try push(RegexNode(.noWordBoundary, flags: flags))
                return t + 2
            case UInt8(ascii: "C"):
                throw RegexError(.invalidEscape, bytes[t..<(t + 2)], at: t)
            case UInt8(ascii: "Q"):
                var literalEnd = end
                var next = end
                var i = t + 2
                while i + 1 < end {
                    if bytes[i] == UInt8(ascii: "\\") && bytes[i + 1] == UInt8(ascii: "E") {
                        literalEnd = i
                        next = i + 2
                        break
                    }
                    i += 1
                }
                var at = t + 2
                while at < literalEnd {
                    let (c, width) = decodeRune(at, limit: literalEnd)
                    if c == RegexLimits.runeError && width == 1 {
                        throw RegexError(.invalidUTF8, bytes[at..<literalEnd], at: at)
                    }
                    try literal(c)
                    at += width
                }
                return next
            case UInt8(ascii: "z"):
                try push(RegexNode(.endText, flags: flags))
                return t + 2
            default:
                break
            }
        }
        if t + 1 < end, bytes[t + 1] == UInt8(ascii: "p") || bytes[t + 1] == UInt8(ascii: "P") {
            var runes: [Rune] = []
            if let next = try parseUnicodeClass(t, into: &runes) {
                var node = RegexNode(.charClass, flags: flags)
                node.runes = runes
                try push(node)
                return next
            }
        }
        var runes: [Rune] = []
        if let next = parsePerlClassEscape(t, into: &runes) {
            var node = RegexNode(.charClass, flags: flags)
            node.runes = runes
            try push(node)
            return next
        }
        let (c, next) = try parseEscape(t)
        try literal(c)
        return next
    }

    // MARK: - Runes

    /// The rune at `at` (before `limit`) and its width, Go's way.
    func decodeRune(_ at: Int, limit: Int? = nil) -> (Rune, Int) {
        let end = limit ?? bytes.count
        return bytes.withUnsafeBufferPointer { buffer in
            UTF8Decoding.decode(UnsafeBufferPointer(rebasing: buffer[0..<end]), at: at)
        }
    }

    /// Go's `nextRune`: the rune at `t` and where the next begins; invalid UTF-8 is an error.
    func nextRune(_ t: Int) throws(RegexError) -> (Rune, Int) {
        let (c, width) = decodeRune(t)
        if c == RegexLimits.runeError && width == 1 {
            throw RegexError(.invalidUTF8, bytes[t...], at: t)
        }
        return (c, t + width)
    }

    /// Go's `checkUTF8` over `bytes[from..<to]`.
    func checkUTF8(_ from: Int, _ to: Int) throws(RegexError) {
        var at = from
        while at < to {
            let (c, width) = decodeRune(at, limit: to)
            if c == RegexLimits.runeError && width == 1 {
                throw RegexError(.invalidUTF8, bytes[at..<to], at: at)
            }
            at += width
        }
    }

    // MARK: - Stack

    private mutating func literal(_ r: Rune) throws(RegexError) {
        var node = RegexNode(.literal, flags: flags)
        node.runes = [flags.contains(.foldCase) ? CaseFolding.minFoldRune(r) : r]
        try push(node)
    }

    /// Pushes `node`, turning one-rune classes into literals and merging adjacent literals.
    mutating func push(_ node: RegexNode) throws(RegexError) {
        var node = node
        numRunes &+= node.runes.count
        let runes = node.runes
        if node.op == .charClass && runes.count == 2 && runes[0] == runes[1] {
            if maybeConcat(runes[0], flags.subtracting(.foldCase)) { return }
            node.op = .literal
            node.runes = [runes[0]]
            node.flags = flags.subtracting(.foldCase)
        } else if node.op == .charClass && isFoldPair(runes) {
            if maybeConcat(runes[0], flags.union(.foldCase)) { return }
            node.op = .literal
            node.runes = [runes[0]]
            node.flags = flags.union(.foldCase)
        } else {
            _ = maybeConcat(-1, [])
        }
        stack.append(node)
        try checkLimits(node)
    }

    private func isFoldPair(_ r: [Rune]) -> Bool {
        if r.count == 4 && r[0] == r[1] && r[2] == r[3] {
            return CaseFolding.simpleFold(r[0]) == r[2] && CaseFolding.simpleFold(r[2]) == r[0]
        }
        if r.count == 2 && r[0] + 1 == r[1] {
            return CaseFolding.simpleFold(r[0]) == r[1] && CaseFolding.simpleFold(r[1]) == r[0]
        }
        return false
    }

    /// Merges the top two literals when they fold alike; with `r >= 0` reuses the top for `r`.
    private mutating func maybeConcat(_ r: Rune, _ newFlags: RegexFlags) -> Bool {
        let n = stack.count
        guard n >= 2 else { return false }
        let re1 = stack[n - 1]
        let re2 = stack[n - 2]
        guard re1.op == .literal, re2.op == .literal,
            re1.flags.contains(.foldCase) == re2.flags.contains(.foldCase)
        else { return false }
        stack[n - 2].runes.append(contentsOf: re1.runes)
        if r >= 0 {
            stack[n - 1].runes = [r]
            stack[n - 1].flags = newFlags
            return true
        }
        stack.removeLast()
        return false
    }

    func checkLimits(_ node: RegexNode) throws(RegexError) {
        if numRunes > RegexLimits.maxRunes || node.size > RegexLimits.maxSize {
            throw RegexError(.internalError, bytes, at: 0)
        }
        if node.height > RegexLimits.maxHeight {
            throw RegexError(.nestingDepth, bytes, at: 0)
        }
    }

    /// Replaces the top of the stack (above the topmost `|` or `(`) with its concatenation.
    private mutating func concat() throws(RegexError) {
        _ = maybeConcat(-1, [])
        var i = stack.count
        while i > 0 && !stack[i - 1].op.isPseudo { i -= 1 }
        let subs = Array(stack[i...])
        stack.removeSubrange(i...)
        if subs.isEmpty {
            try push(RegexNode(.emptyMatch, flags: flags))
        } else {
            try push(collapse(subs, .concat))
        }
    }

    /// Replaces the top of the stack (above the topmost `(`) with its alternation.
    private mutating func alternate() throws(RegexError) {
        var i = stack.count
        while i > 0 && !stack[i - 1].op.isPseudo { i -= 1 }
        let subs = Array(stack[i...])
        stack.removeSubrange(i...)
        if subs.isEmpty {
            try push(RegexNode(.noMatch, flags: flags))
        } else {
            try push(collapse(subs, .alternate))
        }
    }

    private func collapse(_ subs: [RegexNode], _ op: RegexNode.Op) -> RegexNode {
        if subs.count == 1, let only = subs.first { return only }
        var node = RegexNode(op, flags: flags)
        var flat: [RegexNode] = []
        flat.reserveCapacity(subs.count)
        for sub in subs {
            if sub.op == op {
                flat.append(contentsOf: sub.subs)
            } else {
                flat.append(sub)
            }
        }
        node.subs = flat
        return node
    }

    /// Moves the expression on top below a `|` marker under it; true when there was one.
    private mutating func swapVerticalBar() -> Bool {
        let n = stack.count
        guard n >= 2, stack[n - 2].op == .verticalBar else { return false }
        stack.swapAt(n - 1, n - 2)
        return true
    }

    private mutating func parseRightParen() throws(RegexError) {
        try concat()
        if swapVerticalBar() { stack.removeLast() }
        try alternate()
        let n = stack.count
        guard n >= 2 else { throw RegexError(.unexpectedParen, bytes, at: 0) }
        let re1 = stack[n - 1]
        var re2 = stack[n - 2]
        stack.removeLast(2)
        guard re2.op == .leftParen else { throw RegexError(.unexpectedParen, bytes, at: 0) }
        flags = re2.flags
        if re2.cap == 0 {
            try push(re1)
        } else {
            re2.op = .capture
            re2.subs = [re1]
            try push(re2)
        }
    }

    // MARK: - Repetition

    /// Applies `*`, `+`, `?` or `{m,n}` to the top of the stack; returns where parsing resumes.
    private mutating func `repeat`(
        _ op: RegexNode.Op, min: Int, max: Int, before: Int, after: Int, lastRepeat: Int?
    ) throws(RegexError) -> Int {
        var after = after
        var repeatFlags = flags
        if flags.contains(.perlX) {
            if after < bytes.count && bytes[after] == UInt8(ascii: "?") {
                after += 1
                repeatFlags.formSymmetricDifference(.nonGreedy)
            }
            if let lastRepeat {
                throw RegexError(.invalidRepeatOp, bytes[lastRepeat..<after], at: lastRepeat)
            }
        }
        guard let sub = stack.last, !sub.op.isPseudo else {
            throw RegexError(.missingRepeatArgument, bytes[before..<after], at: before)
        }
        var node = RegexNode(op, flags: repeatFlags)
        node.min = min
        node.max = max
        node.subs = [sub]
        stack[stack.count - 1] = node
        try checkLimits(node)
        if op == .repeat && (min >= 2 || max >= 2) && !Self.repeatIsValid(node, RegexLimits.maxRepeat) {
            throw RegexError(.invalidRepeatSize, bytes[before..<after], at: before)
        }
        return after
    }

    /// Whether nested counted repetitions stay within `n` copies of the innermost expression.
    private static func repeatIsValid(_ node: RegexNode, _ n: Int) -> Bool {
        var n = n
        if node.op == .repeat {
            var m = node.max
            if m == 0 { return true }
            if m < 0 { m = node.min }
            if m > n { return false }
            if m > 0 { n /= m }
        }
        for sub in node.subs where !repeatIsValid(sub, n) { return false }
        return true
    }

    /// `{min}`, `{min,}` (max -1) or `{min,max}` at `t`; nil when it is not of that form (then `{`
    /// is a literal). A number too large gives min -1.
    private func parseRepeat(_ t: Int) -> (Int, Int, Int)? {
        let end = bytes.count
        guard t < end, bytes[t] == UInt8(ascii: "{") else { return nil }
        var s = t + 1
        guard case (var min, let next)? = parseInt(s) else { return nil }
        s = next
        guard s < end else { return nil }
        var max: Int
        if bytes[s] != UInt8(ascii: ",") {
            max = min
        } else {
            s += 1
            guard s < end else { return nil }
            if bytes[s] == UInt8(ascii: "}") {
                max = -1
            } else {
                guard let (value, afterMax) = parseInt(s) else { return nil }
                max = value
                s = afterMax
                if max < 0 { min = -1 }
            }
        }
        guard s < end, bytes[s] == UInt8(ascii: "}") else { return nil }
        return (min, max, s + 1)
    }

    /// A decimal number without leading zeros; -1 when it is 10^8 or more.
    private func parseInt(_ s: Int) -> (Int, Int)? {
        let end = bytes.count
        func isDigit(_ at: Int) -> Bool { at < end && bytes[at] >= 0x30 && bytes[at] <= 0x39 }
        guard isDigit(s) else { return nil }
        if bytes[s] == 0x30 && isDigit(s + 1) { return nil }
        var at = s
        var n = 0
        while isDigit(at) {
            if n >= 100_000_000 {
                n = -1
            } else if n >= 0 {
                n = n * 10 + Int(bytes[at] - 0x30)
            }
            at += 1
        }
        return (n, at)
    }
}
