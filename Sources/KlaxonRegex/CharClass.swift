import Synchronization

/// Character classes as Go builds them: sorted `lo, hi` rune pairs (`appendRange`, `cleanClass`,
/// `negateClass`, folding), with Go's Perl, POSIX and Unicode groups.
enum CharClass {
    /// A named group (`\d`, `[:alpha:]`): its ranges and whether it is negated.
    struct Group {
        var negated: Bool
        var ranges: [Rune]
    }

    private static let digit: [Rune] = [0x30, 0x39]
    private static let space: [Rune] = [0x9, 0xA, 0xC, 0xD, 0x20, 0x20]
    private static let word: [Rune] = [0x30, 0x39, 0x41, 0x5A, 0x5F, 0x5F, 0x61, 0x7A]

    /// `\d \D \s \S \w \W`.
    static func perlGroup(_ letter: UInt8) -> Group? {
        switch letter {
        case UInt8(ascii: "d"): Group(negated: false, ranges: digit)
        case UInt8(ascii: "D"): Group(negated: true, ranges: digit)
        case UInt8(ascii: "s"): Group(negated: false, ranges: space)
        case UInt8(ascii: "S"): Group(negated: true, ranges: space)
        case UInt8(ascii: "w"): Group(negated: false, ranges: word)
        case UInt8(ascii: "W"): Group(negated: true, ranges: word)
        default: nil
        }
    }

    /// `[:alpha:]`, `[:^alpha:]` and the other POSIX names Go knows.
    static func posixGroup(_ name: String) -> Group? {
        var negated = false
        var base = name
        if base.hasPrefix("[:^") {
            negated = true
            base = "[:" + base.dropFirst(3)
        }
        let ranges: [Rune]
        switch base {
        case "[:alnum:]": ranges = [0x30, 0x39, 0x41, 0x5A, 0x61, 0x7A]
        case "[:alpha:]": ranges = [0x41, 0x5A, 0x61, 0x7A]
        case "[:ascii:]": ranges = [0x0, 0x7F]
        case "[:blank:]": ranges = [0x9, 0x9, 0x20, 0x20]
        case "[:cntrl:]": ranges = [0x0, 0x1F, 0x7F, 0x7F]
        case "[:digit:]": ranges = digit
        case "[:graph:]": ranges = [0x21, 0x7E]
        case "[:lower:]": ranges = [0x61, 0x7A]
        case "[:print:]": ranges = [0x20, 0x7E]
        case "[:punct:]": ranges = [0x21, 0x2F, 0x3A, 0x40, 0x5B, 0x60, 0x7B, 0x7E]
        case "[:space:]": ranges = [0x9, 0xD, 0x20, 0x20]
        case "[:upper:]": ranges = [0x41, 0x5A]
        case "[:word:]": ranges = word
        case "[:xdigit:]": ranges = [0x30, 0x39, 0x41, 0x46, 0x61, 0x66]
        default: return nil
        }
        return Group(negated: negated, ranges: ranges)
    }

    /// A Unicode table entry: `lo...hi` every `stride` runes.
    struct TableEntry {
        var lo: Rune
        var hi: Rune
        var stride: Rune
    }

    /// Tables parsed so far: a pattern may name the same table thousands of times.
    private static let parsedTables = Mutex<[String: (table: [TableEntry], fold: [TableEntry]?)]>([:])

    /// The table and its extra fold runes for `\p{name}` (Go's `unicodeTable`); nil when unknown.
    static func unicodeTable(_ name: String) -> (table: [TableEntry], fold: [TableEntry]?)? {
        if let cached = parsedTables.withLock({ $0[name] }) { return cached }
        guard let parsed = parseTable(name) else { return nil }
        parsedTables.withLock { $0[name] = parsed }
        return parsed
    }

    private static func parseTable(_ name: String) -> (table: [TableEntry], fold: [TableEntry]?)? {
        if name == "Any" {
            let any = [TableEntry(lo: 0, hi: RegexLimits.maxRune, stride: 1)]
            return (any, any)
        }
        if let text = UnicodeTables.category(name) {
            return (entries(text), UnicodeTables.foldCategory(name).map(entries))
        }
        if let text = UnicodeTables.script(name) {
            return (entries(text), UnicodeTables.foldScript(name).map(entries))
        }
        return nil
    }

    private static func entries(_ text: String) -> [TableEntry] {
        text.split(separator: ",").compactMap { item in
            var stride: Rune = 1
            var bounds = Substring(item)
            if let slash = item.firstIndex(of: "/") {
                stride = Rune(item[item.index(after: slash)...], radix: 16) ?? 1
                bounds = item[..<slash]
            }
            let parts = bounds.split(separator: "-")
            guard let lo = parts.first.flatMap({ Rune($0, radix: 16) }) else { return nil }
            let hi = parts.count > 1 ? (Rune(parts[1], radix: 16) ?? lo) : lo
            return TableEntry(lo: lo, hi: hi, stride: Swift.max(stride, 1))
        }
    }

    // MARK: - Building classes (Go's appendRange and friends)

    /// Appends `lo...hi`, merging with the last or next-to-last range when they touch.
    static func appendRange(_ r: inout [Rune], _ lo: Rune, _ hi: Rune) {
        let n = r.count
        var i = 2
        while i <= 4 && n >= i {
            let rlo = r[n - i]
            let rhi = r[n - i + 1]
            if lo <= rhi + 1 && rlo <= hi + 1 {
                if lo < rlo { r[n - i] = lo }
                if hi > rhi { r[n - i + 1] = hi }
                return
            }
            i += 2
        }
        r.append(lo)
        r.append(hi)
    }

    /// Appends `lo...hi` and every rune that folds to one of them.
    static func appendFoldedRange(_ r: inout [Rune], _ lo: Rune, _ hi: Rune) {
        if lo <= CaseFolding.minFold && hi >= CaseFolding.maxFold {
            appendRange(&r, lo, hi)
            return
        }
        if hi < CaseFolding.minFold || lo > CaseFolding.maxFold {
            appendRange(&r, lo, hi)
            return
        }
        var lo = lo
        var hi = hi
        if lo < CaseFolding.minFold {
            appendRange(&r, lo, CaseFolding.minFold - 1)
            lo = CaseFolding.minFold
        }
        if hi > CaseFolding.maxFold {
            appendRange(&r, CaseFolding.maxFold + 1, hi)
            hi = CaseFolding.maxFold
        }
        var c = lo
        while c <= hi {
            appendRange(&r, c, c)
            var f = CaseFolding.simpleFold(c)
            while f != c {
                appendRange(&r, f, f)
                f = CaseFolding.simpleFold(f)
            }
            c += 1
        }
    }

    /// Appends a clean class.
    static func appendClass(_ r: inout [Rune], _ x: [Rune]) {
        var i = 0
        while i + 1 < x.count {
            appendRange(&r, x[i], x[i + 1])
            i += 2
        }
    }

    /// Appends the case folding of a clean class.
    static func appendFoldedClass(_ r: inout [Rune], _ x: [Rune]) {
        var i = 0
        while i + 1 < x.count {
            appendFoldedRange(&r, x[i], x[i + 1])
            i += 2
        }
    }

    /// Appends the complement of a clean class.
    static func appendNegatedClass(_ r: inout [Rune], _ x: [Rune]) {
        var nextLo: Rune = 0
        var i = 0
        while i + 1 < x.count {
            if nextLo <= x[i] - 1 { appendRange(&r, nextLo, x[i] - 1) }
            nextLo = x[i + 1] + 1
            i += 2
        }
        if nextLo <= RegexLimits.maxRune { appendRange(&r, nextLo, RegexLimits.maxRune) }
    }

    /// Appends a Unicode table.
    static func appendTable(_ r: inout [Rune], _ table: [TableEntry]) {
        for entry in table {
            if entry.stride == 1 {
                appendRange(&r, entry.lo, entry.hi)
                continue
            }
            var c = entry.lo
            while c <= entry.hi {
                appendRange(&r, c, c)
                c += entry.stride
            }
        }
    }

    /// Appends the complement of a Unicode table.
    static func appendNegatedTable(_ r: inout [Rune], _ table: [TableEntry]) {
        var nextLo: Rune = 0
        for entry in table {
            if entry.stride == 1 {
                if nextLo <= entry.lo - 1 { appendRange(&r, nextLo, entry.lo - 1) }
                nextLo = entry.hi + 1
                continue
            }
            var c = entry.lo
            while c <= entry.hi {
                if nextLo <= c - 1 { appendRange(&r, nextLo, c - 1) }
                nextLo = c + 1
                c += entry.stride
            }
        }
        if nextLo <= RegexLimits.maxRune { appendRange(&r, nextLo, RegexLimits.maxRune) }
    }

    /// Letters (`L`) and decimal digits (`Nd`), for Go's `unicode.IsLetter || unicode.IsDigit`.
    private static let lettersAndDigits: [Rune] = {
        var runes: [Rune] = []
        appendTable(&runes, unicodeTable("L")?.table ?? [])
        appendTable(&runes, unicodeTable("Nd")?.table ?? [])
        return clean(runes)
    }()

    /// Whether `r` is a Unicode letter or decimal digit.
    static func isLetterOrDigit(_ r: Rune) -> Bool {
        if r < 0x80 { return Program.Empty.isWordRune(r) && r != 0x5F }
        return contains(lettersAndDigits, r)
    }

    /// Sorts and merges the ranges (Go's `cleanClass`).
    static func clean(_ r: [Rune]) -> [Rune] {
        var pairs: [(Rune, Rune)] = []
        pairs.reserveCapacity(r.count / 2)
        var i = 0
        while i + 1 < r.count {
            pairs.append((r[i], r[i + 1]))
            i += 2
        }
        pairs.sort { $0.0 < $1.0 || ($0.0 == $1.0 && $0.1 > $1.1) }
        var out: [Rune] = []
        out.reserveCapacity(r.count)
        for (lo, hi) in pairs {
            if let last = out.last, lo <= last + 1 {
                if hi > last { out[out.count - 1] = hi }
                continue
            }
            out.append(lo)
            out.append(hi)
        }
        return out
    }

    /// The complement of a clean class (Go's `negateClass`).
    static func negate(_ r: [Rune]) -> [Rune] {
        var out: [Rune] = []
        appendNegatedClass(&out, r)
        return out
    }

    /// Whether the clean class `r` holds `c`.
    static func contains(_ r: [Rune], _ c: Rune) -> Bool {
        var lo = 0
        var hi = r.count / 2
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if c < r[2 * mid] {
                hi = mid
            } else if c > r[2 * mid + 1] {
                lo = mid + 1
            } else {
                return true
            }
        }
        return false
    }
}
