/// Number syntax of the two exposition formats, parsed straight from bytes.
///
/// The text format follows Go's `strconv.ParseFloat` minus hex floats and underscores (as expfmt
/// does); OpenMetrics follows the reference Python parser (also no hex, no underscores, a sign
/// allowed before `NaN`, no range error). Both accept `Inf`/`Infinity`/`NaN` in any case.
enum TextFormatNumbers {
    enum Flavor {
        /// expfmt: overflow to infinity is an error, `+NaN` is not a number.
        case go
        /// OpenMetrics: overflow gives infinity, a signed `NaN` is allowed.
        case python
    }

    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    // MARK: - Floats

    /// The value of `bytes[start..<end]`, or nil when the token is not a number in `flavor`'s syntax.
    static func parseFloat(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ flavor: Flavor) -> Double? {
        var index = start
        guard index < end else { return nil }
        var negative = false
        var signed = false
        if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            signed = true
            index += 1
            guard index < end else { return nil }
        }
        let lower = bytes[index] | 0x20
        if lower == UInt8(ascii: "i") {
            guard matchesIgnoringCase(bytes, index, end, "inf") || matchesIgnoringCase(bytes, index, end, "infinity")
            else { return nil }
            return negative ? -.infinity : .infinity
        }
        if lower == UInt8(ascii: "n") {
            guard !(signed && flavor == .go), matchesIgnoringCase(bytes, index, end, "nan") else { return nil }
            return .nan
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var truncated = false
        var sawDigit = false
        var afterPoint = false
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "."), !afterPoint {
                afterPoint = true
                index += 1
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
            sawDigit = true
            let digit = UInt64(byte &- UInt8(ascii: "0"))
            if mantissa == 0 && digit == 0 {
                if afterPoint { exponent -= 1 }
            } else if digits < 19 {
                mantissa = mantissa &* 10 &+ digit
                digits += 1
                if afterPoint { exponent -= 1 }
            } else {
                truncated = true
                if !afterPoint { exponent += 1 }
            }
            index += 1
        }
        guard sawDigit else { return nil }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            var exponentNegative = false
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var sawExponentDigit = false
            while index < end, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                sawExponentDigit = true
                written = min(written * 10 + Int(bytes[index] &- UInt8(ascii: "0")), 100_000)
                index += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == end else { return nil }
        var value: Double
        if !truncated, mantissa <= (1 << 53), exponent >= -22, exponent <= 22 {
            // Clinger's fast path: both operands are exact, so one rounding gives the correct result.
            value = exponent < 0 ? Double(mantissa) / powersOfTen[-exponent] : Double(mantissa) * powersOfTen[exponent]
        } else {
            guard let slow = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self))
            else { return nil }
            value = slow.magnitude
            if flavor == .go && value.isInfinite { return nil }
        }
        return negative ? -value : value
    }

    private static func matchesIgnoringCase(
        _ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int, _ word: StaticString
    ) -> Bool {
        guard end - start == word.utf8CodeUnitCount else { return false }
        let letters = word.utf8Start
        for offset in 0..<word.utf8CodeUnitCount where bytes[start + offset] | 0x20 != letters[offset] {
            return false
        }
        return true
    }

    // MARK: - Integers

    /// A base-10 `Int64` with an optional sign, as Go's `strconv.ParseInt(s, 10, 64)`; nil on bad syntax or overflow.
    static func parseInt64(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int64? {
        var index = start
        guard index < end else { return nil }
        var negative = false
        if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
            guard index < end else { return nil }
        }
        // Accumulate negatively so that Int64.min parses without overflow.
        var value: Int64 = 0
        while index < end {
            let byte = bytes[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = times.subtractingReportingOverflow(Int64(byte &- UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            value = next
            index += 1
        }
        if negative { return value }
        let (positive, overflow) = Int64(0).subtractingReportingOverflow(value)
        return overflow ? nil : positive
    }

    /// Converts OpenMetrics seconds to milliseconds, saturating at the `Int64` range.
    static func milliseconds(fromSeconds seconds: Double) -> Int64 {
        let scaled = (seconds * 1000).rounded()
        if scaled >= 9.2233720368547758e18 { return .max }
        if scaled <= -9.2233720368547758e18 { return .min }
        return Int64(scaled)
    }
}
