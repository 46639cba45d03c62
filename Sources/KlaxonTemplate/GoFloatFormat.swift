import Foundation

/// Go's float64 formatting (`strconv.FormatFloat` as `fmt` uses it), byte for byte, because alert
/// text must read the same in Klaxon and in Prometheus: `{{ $value }}` of 1e6 is `1e+06`.
package enum GoFloatFormat {
    /// `%v` and `%g` without precision: the shortest digits that read back to the same value, in
    /// exponent form when the decimal exponent is below -4 or at least 6 (Go's rule for shortest).
    package static func shortest(_ value: Double) -> String {
        if let special = special(value) { return special }
        let (digits, point) = shortestDigits(value)
        return layoutG(negative: value.sign == .minus, digits: digits, point: point, exponentThreshold: 6)
    }

    /// `strconv.FormatFloat(value, 'e', -1, 64)`: the shortest digits in exponent form, `1.5e+00`.
    package static func shortestExponent(_ value: Double) -> String {
        if let special = special(value) { return special }
        let (digits, point) = shortestDigits(value)
        var text = value.sign == .minus ? "-" : ""
        text += String(decoding: digits.prefix(1), as: UTF8.self)
        if digits.count > 1 { text += "." + String(decoding: digits.dropFirst(), as: UTF8.self) }
        let exponent = digits == [UInt8(ascii: "0")] ? 0 : point - 1
        text += exponent < 0 ? "e-" : "e+"
        text += abs(exponent) < 10 ? "0\(abs(exponent))" : "\(abs(exponent))"
        return text
    }

    /// `%.Ng`: N significant digits, trailing zeros removed, exponent form as C and Go choose it.
    static func general(_ value: Double, precision: Int, upper: Bool = false) -> String {
        if let special = special(value) { return special }
        // A double has at most 767 significant decimal digits and a decimal exponent within ±324,
        // so any precision above 800 gives the same text; capping it bounds the work.
        let significant = min(max(precision, 1), 800)
        // %e with N-1 decimals gives the correctly rounded N significant digits.
        let scientific = c("%.\(significant - 1)e", value)
        guard let eIndex = scientific.firstIndex(where: { $0 == "e" }),
            let exponent = Int(scientific[scientific.index(after: eIndex)...])
        else { return scientific }
        var digits = Array(scientific[..<eIndex].utf8.filter { isDigit($0) })
        while digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast() }
        let text = layoutG(
            negative: value.sign == .minus, digits: digits, point: exponent + 1, exponentThreshold: significant)
        return upper ? text.uppercased() : text
    }

    /// `%.Ne`.
    static func exponent(_ value: Double, precision: Int, upper: Bool = false) -> String {
        if let special = special(value) { return special }
        return c(upper ? "%.\(precision)E" : "%.\(precision)e", value)
    }

    /// `%.Nf`.
    static func fixed(_ value: Double, precision: Int) -> String {
        if let special = special(value) { return special }
        return c("%.\(precision)f", value)
    }

    /// Go spells infinities `+Inf`/`-Inf` and NaN `NaN`.
    package static func special(_ value: Double) -> String? {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        return nil
    }

    // MARK: - Digits

    /// The shortest round-tripping decimal digits of `value` and the position of the decimal point
    /// (value = 0.DIGITS × 10^point), taken from Swift's shortest representation.
    package static func shortestDigits(_ value: Double) -> (digits: [UInt8], point: Int) {
        let text = abs(value).description
        var mantissa = Substring(text)
        var exponent = 0
        if let eIndex = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<eIndex]
            exponent = Int(text[text.index(after: eIndex)...]) ?? 0
        }
        var digits: [UInt8] = []
        var point = 0
        var seenPoint = false
        for byte in mantissa.utf8 {
            if byte == UInt8(ascii: ".") {
                seenPoint = true
            } else {
                digits.append(byte)
                if !seenPoint { point += 1 }
            }
        }
        while let first = digits.first, first == UInt8(ascii: "0"), digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.count > 1, digits.last == UInt8(ascii: "0") { digits.removeLast() }
        if digits == [UInt8(ascii: "0")] { return (digits, 1) }
        return (digits, point + exponent)
    }

    /// Lays out digits as Go's `%g` does: `d.ddde±XX` when the exponent is below -4 or at least
    /// `exponentThreshold`, plain decimal otherwise.
    private static func layoutG(negative: Bool, digits: [UInt8], point: Int, exponentThreshold: Int) -> String {
        var out = negative ? "-" : ""
        let isZero = digits.allSatisfy { $0 == UInt8(ascii: "0") }
        let exponent = isZero ? 0 : point - 1
        if exponent < -4 || exponent >= exponentThreshold {
            out += String(decoding: digits[0..<1], as: UTF8.self)
            if digits.count > 1 { out += "." + String(decoding: digits[1...], as: UTF8.self) }
            let magnitude = abs(exponent)
            out += (exponent < 0 ? "e-" : "e+") + (magnitude < 10 ? "0" : "") + String(magnitude)
            return out
        }
        if isZero { return out + "0" }
        if point <= 0 {
            return out + "0." + String(repeating: "0", count: -point) + String(decoding: digits, as: UTF8.self)
        }
        if point >= digits.count {
            return out + String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: point - digits.count)
        }
        return out + String(decoding: digits[..<point], as: UTF8.self) + "."
            + String(decoding: digits[point...], as: UTF8.self)
    }

    /// C's printf of one double; glibc rounds the exact binary value half-to-even, as Go does.
    /// A long precision needs more room than the first guess: the text is then formatted again
    /// into a buffer of the length C reported, so it is never cut short.
    private static func c(_ format: String, _ value: Double) -> String {
        var capacity = 1600
        while true {
            var buffer = [CChar](repeating: 0, count: capacity)
            let written = withVaList([value]) { arguments in
                buffer.withUnsafeMutableBufferPointer { pointer in
                    vsnprintf(pointer.baseAddress, pointer.count, format, arguments)
                }
            }
            guard written >= 0 else { return "" }
            guard Int(written) >= capacity else {
                return String(decoding: buffer[0..<Int(written)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
            capacity = Int(written) + 1
        }
    }

    /// `%x` of a float: `0x1.8p+00`, Go's hexadecimal mantissa and at-least-two-digit exponent.
    static func hex(_ value: Double, upper: Bool) -> String {
        if let special = special(value) { return special }
        var out = value.sign == .minus ? "-0x" : "0x"
        let magnitude = abs(value)
        var exponent = 0
        var mantissa: UInt64 = 0
        if magnitude != 0 {
            exponent = Int(magnitude.exponent)
            mantissa = magnitude.significandBitPattern
            if magnitude.isSubnormal {
                // Normalise so the leading digit is 1, as Go prints subnormals.
                let shift = mantissa.leadingZeroBitCount - 11
                mantissa = (mantissa << UInt64(shift)) & ((1 << 52) - 1)
            }
        }
        out += magnitude == 0 ? "0" : "1"
        var fraction = String(mantissa, radix: 16)
        fraction = String(repeating: "0", count: 13 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        if !fraction.isEmpty { out += "." + fraction }
        out += (exponent < 0 ? "p-" : "p+") + (abs(exponent) < 10 ? "0" : "") + String(abs(exponent))
        return upper ? out.uppercased() : out
    }
}
