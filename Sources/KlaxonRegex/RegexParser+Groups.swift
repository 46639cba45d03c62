// MARK: - Flags, named groups and escapes

extension RegexParser {
    /// `(?flags)`, `(?flags:`, `(?:` or `(?P<name>` at `s`; returns where parsing resumes.
    mutating func parsePerlFlags(_ s: Int) throws(RegexError) -> Int {
        let end = bytes.count
        if end - s > 4 && bytes[s + 2] == UInt8(ascii: "P") && bytes[s + 3] == UInt8(ascii: "<") {
            guard let close = bytes[s...].firstIndex(of: UInt8(ascii: ">")) else {
                try checkUTF8(s, end)
                throw RegexError(.invalidNamedCapture, bytes[s...], at: s)
            }
            try checkUTF8(s + 4, close)
            let nameBytes = bytes[(s + 4)..<close]
            guard !nameBytes.isEmpty, nameBytes.allSatisfy(Self.isWordByte) else {
                throw RegexError(.invalidNamedCapture, bytes[s...close], at: s)
            }
            numCap += 1
            names.append(String(decoding: nameBytes, as: UTF8.self))
            var paren = RegexNode(.leftParen, flags: flags)
            paren.cap = numCap
            try push(paren)
            return close + 1
        }
        var t = s + 2
        var newFlags = flags
        var negated = false
        var sawFlag = false
        while t < end {
            let (c, next) = try nextRune(t)
            t = next
            switch c {
            case Rune(UInt8(ascii: "i")):
                Self.set(&newFlags, .foldCase, !negated)
                sawFlag = true
            case Rune(UInt8(ascii: "m")):
                Self.set(&newFlags, .oneLine, negated)
                sawFlag = true
            case Rune(UInt8(ascii: "s")):
                Self.set(&newFlags, .dotNL, !negated)
                sawFlag = true
            case Rune(UInt8(ascii: "U")):
                Self.set(&newFlags, .nonGreedy, !negated)
                sawFlag = true
            case Rune(UInt8(ascii: "-")):
                if negated { throw RegexError(.invalidPerlOp, bytes[s..<t], at: s) }
                negated = true
                sawFlag = false
            case Rune(UInt8(ascii: ":")), Rune(UInt8(ascii: ")")):
                if negated && !sawFlag { throw RegexError(.invalidPerlOp, bytes[s..<t], at: s) }
                if c == Rune(UInt8(ascii: ":")) {
                    try push(RegexNode(.leftParen, flags: flags))
                }
                flags = newFlags
                return t
            default:
                throw RegexError(.invalidPerlOp, bytes[s..<t], at: s)
            }
        }
        throw RegexError(.invalidPerlOp, bytes[s..<t], at: s)
    }

    private static func set(_ flags: inout RegexFlags, _ flag: RegexFlags, _ on: Bool) {
        if on { flags.insert(flag) } else { flags.remove(flag) }
    }

    static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "_"):
            true
        default: false
        }
    }

    private static func unhex(_ c: Rune) -> Rune {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x61...0x66: c - 0x61 + 10
        case 0x41...0x46: c - 0x41 + 10
        default: -1
        }
    }

    /// A single-character escape at `s` (a backslash): the rune and where parsing resumes.
    func parseEscape(_ s: Int) throws(RegexError) -> (Rune, Int) {
        let end = bytes.count
        var t = s + 1
        guard t < end else { throw RegexError(.trailingBackslash, [], at: s) }
        let (c, afterC) = try nextRune(t)
        t = afterC
        func invalid() -> RegexError { RegexError(.invalidEscape, bytes[s..<t], at: s) }
        func isOctal(_ at: Int) -> Bool { at < end && bytes[at] >= 0x30 && bytes[at] <= 0x37 }
        switch c {
        case 0x31...0x37 where isOctal(t), 0x30:
            var r = c - 0x30
            var digits = 1
            while digits < 3 && isOctal(t) {
                r = r * 8 + Rune(bytes[t]) - 0x30
                t += 1
                digits += 1
            }
            return (r, t)
        case 0x31...0x37:
            // A single non-zero digit would be a backreference, which Go does not support.
            throw invalid()
        case Rune(UInt8(ascii: "x")):
            guard t < end else { throw invalid() }
            var (x, next) = try nextRune(t)
            t = next
            if x == Rune(UInt8(ascii: "{")) {
                var digits = 0
                var r: Rune = 0
                while true {
                    guard t < end else { throw invalid() }
                    (x, next) = try nextRune(t)
                    t = next
                    if x == Rune(UInt8(ascii: "}")) { break }
                    let v = Self.unhex(x)
                    guard v >= 0 else { throw invalid() }
                    r = r * 16 + v
                    guard r <= RegexLimits.maxRune else { throw invalid() }
                    digits += 1
                }
                guard digits > 0 else { throw invalid() }
                return (r, t)
            }
            let high = Self.unhex(x)
            (x, next) = try nextRune(t)
            t = next
            let low = Self.unhex(x)
            guard high >= 0, low >= 0 else { throw invalid() }
            return (high * 16 + low, t)
        case Rune(UInt8(ascii: "a")): return (7, t)
        case Rune(UInt8(ascii: "f")): return (12, t)
        case Rune(UInt8(ascii: "n")): return (10, t)
        case Rune(UInt8(ascii: "r")): return (13, t)
        case Rune(UInt8(ascii: "t")): return (9, t)
        case Rune(UInt8(ascii: "v")): return (11, t)
        default:
            // Escaped punctuation is itself; escaped letters and digits must mean something.
            if c < 0x80 && !Self.isWordByte(UInt8(truncatingIfNeeded: c)) || c == Rune(UInt8(ascii: "_")) {
                return (c, t)
            }
            throw invalid()
        }
    }
}
