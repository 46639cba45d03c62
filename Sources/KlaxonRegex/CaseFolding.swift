/// Go's `unicode.SimpleFold`, over Go 1.19's tables (`UnicodeTables`), so `(?i)` folds exactly as
/// Prometheus folds: `k` matches `K` and U+212A KELVIN SIGN, `s` matches U+017F.
enum CaseFolding {
    /// Lowest and highest runes that take part in folding (Go's `minFold`, `maxFold`).
    static let minFold: Rune = 0x41
    static let maxFold: Rune = 0x1_E943

    private struct CaseRange: Sendable {
        var lo: Rune
        var hi: Rune
        /// Upper, lower, title deltas; `nil` for Go's `UpperLower` alternation.
        var deltas: (Rune?, Rune?, Rune?)
    }

    private static let caseRanges: [CaseRange] = UnicodeTables.caseRanges.split(separator: ",").compactMap { entry in
        let fields = entry.split(separator: ":")
        guard fields.count == 4 else { return nil }
        let bounds = fields[0].split(separator: "-")
        guard bounds.count == 2, let lo = Rune(bounds[0], radix: 16), let hi = Rune(bounds[1], radix: 16) else {
            return nil
        }
        func delta(_ text: Substring) -> Rune? { text == "u" ? nil : Rune(text) }
        return CaseRange(lo: lo, hi: hi, deltas: (delta(fields[1]), delta(fields[2]), delta(fields[3])))
    }

    private static let orbit: [(from: Rune, to: Rune)] = UnicodeTables.caseOrbit.split(separator: ",").compactMap {
        let fields = $0.split(separator: ":")
        guard fields.count == 2, let from = Rune(fields[0], radix: 16), let to = Rune(fields[1], radix: 16) else {
            return nil
        }
        return (from, to)
    }

    /// The next rune in `r`'s fold orbit (Go's `unicode.SimpleFold`); `r` itself when it has none.
    static func simpleFold(_ r: Rune) -> Rune {
        guard r >= 0, r <= RegexLimits.maxRune else { return r }
        if r < 0x80 { return asciiFold(r) }
        var lo = 0
        var hi = orbit.count
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if orbit[mid].from < r { lo = mid + 1 } else { hi = mid }
        }
        if lo < orbit.count, orbit[lo].from == r { return orbit[lo].to }
        let lower = map(r, lowerCase: true)
        if lower != r { return lower }
        return map(r, lowerCase: false)
    }

    /// The smallest rune of `r`'s orbit (Go's `minFoldRune`).
    static func minFoldRune(_ r: Rune) -> Rune {
        guard r >= minFold, r <= maxFold else { return r }
        var smallest = r
        var next = simpleFold(r)
        var guardSteps = 0
        while next != r, guardSteps < 8 {
            if next < smallest { smallest = next }
            next = simpleFold(next)
            guardSteps += 1
        }
        return smallest
    }

    /// Every rune of `r`'s orbit, `r` first.
    static func orbit(of r: Rune) -> [Rune] {
        var runes = [r]
        var next = simpleFold(r)
        while next != r, runes.count < 8 {
            runes.append(next)
            next = simpleFold(next)
        }
        return runes
    }

    private static func asciiFold(_ r: Rune) -> Rune {
        switch r {
        case 0x4B: 0x6B
        case 0x6B: 0x212A
        case 0x53: 0x73
        case 0x73: 0x17F
        case 0x41...0x5A: r + 0x20
        case 0x61...0x7A: r - 0x20
        default: r
        }
    }

    /// Go's `unicode.ToLower` / `ToUpper` for runes above ASCII.
    private static func map(_ r: Rune, lowerCase: Bool) -> Rune {
        var lo = 0
        var hi = caseRanges.count
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            let range = caseRanges[mid]
            if range.lo <= r, r <= range.hi {
                let delta = lowerCase ? range.deltas.1 : range.deltas.0
                guard let delta else {
                    // Upper/lower alternation: even offsets are upper case, odd ones lower.
                    return range.lo + (((r - range.lo) & ~1) | (lowerCase ? 1 : 0))
                }
                return r + delta
            }
            if r < range.lo { hi = mid } else { lo = mid + 1 }
        }
        return r
    }
}
