/// UTF-8 decoding as Go's `utf8.DecodeRune` does it: an invalid or truncated sequence is one
/// byte of U+FFFD, so matching walks any bytes (Prometheus label values may hold invalid UTF-8)
/// exactly as Go's regexp walks them.
enum UTF8Decoding {
    /// The rune at `index` and its width; `(runeError, 1)` for a bad byte, `(runeError, 0)` at the end.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (rune: Rune, width: Int) {
        let count = bytes.count
        guard index < count else { return (RegexLimits.runeError, 0) }
        let b0 = bytes[index]
        if b0 < 0x80 { return (Rune(b0), 1) }
        return decodeMultibyte(bytes, at: index, count: count, b0)
    }

    private static func decodeMultibyte(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, count: Int, _ b0: UInt8)
        -> (rune: Rune, width: Int)
    {
        let bad = (RegexLimits.runeError, 1)
        func continuation(_ offset: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Rune? {
            let at = index + offset
            guard at < count else { return nil }
            let byte = bytes[at]
            guard byte >= lo, byte <= hi else { return nil }
            return Rune(byte & 0x3F)
        }
        switch b0 {
        case 0xC2...0xDF:
            guard let c1 = continuation(1) else { return bad }
            return ((Rune(b0 & 0x1F) << 6) | c1, 2)
        case 0xE0...0xEF:
            let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let hi: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard let c1 = continuation(1, lo, hi), let c2 = continuation(2) else { return bad }
            return ((Rune(b0 & 0x0F) << 12) | (c1 << 6) | c2, 3)
        case 0xF0...0xF4:
            let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let hi: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard let c1 = continuation(1, lo, hi), let c2 = continuation(2), let c3 = continuation(3) else {
                return bad
            }
            return ((Rune(b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4)
        default:
            return bad
        }
    }

    /// Whether the bytes are all valid UTF-8 (Go's `utf8.Valid`).
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        while index < bytes.count {
            let (rune, width) = decode(bytes, at: index)
            if rune == RegexLimits.runeError && width == 1 { return false }
            index += width
        }
        return true
    }

    /// Appends the UTF-8 encoding of `rune` (which must be a valid scalar or U+FFFD is written).
    static func encode(_ rune: Rune, into out: inout [UInt8]) {
        let scalar = Unicode.Scalar(UInt32(clamping: max(rune, 0))) ?? "\u{FFFD}"
        out.append(contentsOf: String(Character(scalar)).utf8)
    }
}
