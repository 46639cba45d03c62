/// Number formatting for expositions, written straight into byte buffers.
///
/// Floats follow Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which Prometheus's writers use:
/// shortest round-trip digits, exponent form below 1e-4 and from 1e+06 on, at least two exponent
/// digits (`1e+06`, `1.5e-07`). Readers (promtool, prometheus_client) get back the exact double.
package enum ExpositionNumbers {
    // MARK: - Floats

    /// Text format 0.0.4: `1`, `1.5`, `1e+06`, `+Inf`, `-Inf`, `NaN`.
    package static func appendTextFloat(_ value: Double, to out: inout [UInt8]) {
        if value == 0 {
            out.append(UInt8(ascii: "0"))
        } else {
            appendGoFloat(value, to: &out)
        }
    }

    /// OpenMetrics: as the text format but integers keep `.0` (`1.0`, `5.0`), as prometheus/common writes them.
    package static func appendOpenMetricsFloat(_ value: Double, to out: inout [UInt8]) {
        if value == 0 {
            out.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: "."), UInt8(ascii: "0")])
            return
        }
        let start = out.count
        appendGoFloat(value, to: &out)
        guard value.isFinite else { return }
        var index = start
        while index < out.count {
            if out[index] == UInt8(ascii: ".") || out[index] == UInt8(ascii: "e") { return }
            index += 1
        }
        out.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "0")])
    }

    /// Go's `'g', -1` formatting of a double (not the 0.0.4 special cases for 0 and ±1, which it matches anyway).
    package static func appendGoFloat(_ value: Double, to out: inout [UInt8]) {
        if value.isNaN {
            out.append(contentsOf: [UInt8(ascii: "N"), UInt8(ascii: "a"), UInt8(ascii: "N")])
            return
        }
        if value.isInfinite {
            out.append(value < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            out.append(contentsOf: [UInt8(ascii: "I"), UInt8(ascii: "n"), UInt8(ascii: "f")])
            return
        }
        // Integers below 1e6 print as themselves in Go's 'g' form; skip the digit generator for them.
        if value.magnitude < 1_000_000, value == value.rounded(.towardZero), value != 0 {
            appendInteger(Int64(value), to: &out)
            return
        }
        var text = value.description
        text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
                appendGoDigits(description: utf8, digits: digits, to: &out)
            }
        }
    }

    /// Re-lays Swift's shortest round-trip description (`123.45`, `1e-05`, `1.5e+20`) in Go's `'g'` layout.
    private static func appendGoDigits(
        description utf8: UnsafeBufferPointer<UInt8>, digits: UnsafeMutableBufferPointer<UInt8>, to out: inout [UInt8]
    ) {
        var count = 0
        var pointPosition: Int?
        var exponent = 0
        var negative = false
        var index = 0
        if index < utf8.count, utf8[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: ".") {
                pointPosition = count
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                exponent = parseExponent(utf8, from: index + 1)
                break
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), count < digits.count {
                digits[count] = byte
                count += 1
            }
            index += 1
        }
        // decimalPoint: how many digits sit before the decimal point (may be ≤ 0 or > count).
        var decimalPoint = (pointPosition ?? count) + exponent
        var first = 0
        while first < count, digits[first] == UInt8(ascii: "0") {
            first += 1
            decimalPoint -= 1
        }
        while count > first, digits[count - 1] == UInt8(ascii: "0") { count -= 1 }
        if negative { out.append(UInt8(ascii: "-")) }
        guard count > first else {
            out.append(UInt8(ascii: "0"))
            return
        }
        let significant = count - first
        let decimalExponent = decimalPoint - 1
        if decimalExponent < -4 || decimalExponent >= 6 {
            out.append(digits[first])
            if significant > 1 {
                out.append(UInt8(ascii: "."))
                for position in (first + 1)..<count { out.append(digits[position]) }
            }
            out.append(UInt8(ascii: "e"))
            out.append(decimalExponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let magnitude = decimalExponent.magnitude
            if magnitude < 10 { out.append(UInt8(ascii: "0")) }
            appendUnsigned(UInt64(magnitude), to: &out)
        } else if decimalPoint <= 0 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "."))
            for _ in 0..<(-decimalPoint) { out.append(UInt8(ascii: "0")) }
            for position in first..<count { out.append(digits[position]) }
        } else {
            for offset in 0..<max(decimalPoint, significant) {
                if offset == decimalPoint { out.append(UInt8(ascii: ".")) }
                out.append(offset < significant ? digits[first + offset] : UInt8(ascii: "0"))
            }
        }
    }

    private static func parseExponent(_ utf8: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var index = start
        var sign = 1
        if index < utf8.count, utf8[index] == UInt8(ascii: "-") || utf8[index] == UInt8(ascii: "+") {
            if utf8[index] == UInt8(ascii: "-") { sign = -1 }
            index += 1
        }
        var value = 0
        while index < utf8.count, utf8[index] >= UInt8(ascii: "0"), utf8[index] <= UInt8(ascii: "9"), value < 100_000 {
            value = value * 10 + Int(utf8[index] - UInt8(ascii: "0"))
            index += 1
        }
        return sign * value
    }

    // MARK: - Integers and timestamps

    /// A signed decimal integer.
    package static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        appendUnsigned(value.magnitude, to: &out)
    }

    /// An unsigned decimal integer, digits written in place without a temporary string.
    package static func appendUnsigned(_ value: UInt64, to out: inout [UInt8]) {
        var width = 1
        var probe = value
        while probe >= 10 {
            probe /= 10
            width += 1
        }
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var rest = value
        var position = start + width - 1
        while position >= start {
            out[position] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            position -= 1
        }
    }

    /// An OpenMetrics timestamp: Unix seconds with exact millisecond decimals (`1700000000.123`).
    package static func appendOpenMetricsTimestamp(milliseconds: Int64, to out: inout [UInt8]) {
        if milliseconds < 0 { out.append(UInt8(ascii: "-")) }
        let magnitude = milliseconds.magnitude
        appendUnsigned(magnitude / 1000, to: &out)
        var fraction = magnitude % 1000
        guard fraction != 0 else { return }
        out.append(UInt8(ascii: "."))
        var divisor: UInt64 = 100
        while fraction != 0 {
            out.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }
}
