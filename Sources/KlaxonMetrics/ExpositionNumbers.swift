/// Number formatting for expositions, written straight into byte buffers.
///
/// Floats follow Go's `strconv.FormatFloat(f, 'g', -1, 64)`, which Prometheus's writers use:
/// shortest round-trip digits, exponent form below 1e-4 and from 1e+06 on, at least two exponent
/// digits (`1e+06`, `1.5e-07`). Readers (promtool, prometheus_client) get back the exact double.
package enum ExpositionNumbers {
    // MARK: - Array entry points

    /// Text format 0.0.4: `1`, `1.5`, `1e+06`, `+Inf`, `-Inf`, `NaN`.
    package static func appendTextFloat(_ value: Double, to out: inout [UInt8]) {
        ByteWriter.appending(to: &out, bound: maxFloatLength) { writeTextFloat(value, to: &$0) }
    }

    /// OpenMetrics: as the text format but integers keep `.0` (`1.0`, `5.0`), as prometheus/common writes them.
    package static func appendOpenMetricsFloat(_ value: Double, to out: inout [UInt8]) {
        ByteWriter.appending(to: &out, bound: maxFloatLength) { writeOpenMetricsFloat(value, to: &$0) }
    }

    /// Go's `'g', -1` formatting of a double.
    package static func appendGoFloat(_ value: Double, to out: inout [UInt8]) {
        ByteWriter.appending(to: &out, bound: maxFloatLength) { _ = writeGoFloat(value, to: &$0) }
    }

    /// A signed decimal integer.
    package static func appendInteger(_ value: Int64, to out: inout [UInt8]) {
        ByteWriter.appending(to: &out, bound: maxFloatLength) { writeInteger(value, to: &$0) }
    }

    /// An OpenMetrics timestamp: Unix seconds with exact millisecond decimals (`1700000000.123`).
    package static func appendOpenMetricsTimestamp(milliseconds: Int64, to out: inout [UInt8]) {
        ByteWriter.appending(to: &out, bound: maxFloatLength) { writeOpenMetricsTimestamp(milliseconds: milliseconds, to: &$0) }
    }

    /// The longest text any writer here produces (`-1.7976931348623157e+308` is 24 bytes).
    static let maxFloatLength = 32

    // MARK: - Floats

    static func writeTextFloat(_ value: Double, to out: inout ByteWriter) {
        if value == 0 {
            out.write(UInt8(ascii: "0"))
        } else {
            _ = writeGoFloat(value, to: &out)
        }
    }

    static func writeOpenMetricsFloat(_ value: Double, to out: inout ByteWriter) {
        if value == 0 {
            out.write(UInt8(ascii: "0"))
            out.write(UInt8(ascii: "."), UInt8(ascii: "0"))
        } else if !writeGoFloat(value, to: &out) {
            out.write(UInt8(ascii: "."), UInt8(ascii: "0"))
        }
    }

    private static let powersOfTen: [Double] = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9]
    private static let integerPowersOfTen: [UInt64] = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000]

    /// Writes Go's `'g', -1` form; returns true when it has a fraction or exponent (no `.0` needed).
    static func writeGoFloat(_ value: Double, to out: inout ByteWriter) -> Bool {
        if value.isNaN {
            out.write(UInt8(ascii: "N"), UInt8(ascii: "a"))
            out.write(UInt8(ascii: "N"))
            return true
        }
        if value.isInfinite {
            out.write(value < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            out.write(UInt8(ascii: "I"), UInt8(ascii: "n"))
            out.write(UInt8(ascii: "f"))
            return true
        }
        let magnitude = value.magnitude
        // Integers below 1e6 print as themselves in Go's 'g' form.
        if magnitude < 1_000_000, value == value.rounded(.towardZero), value != 0 {
            writeInteger(Int64(value), to: &out)
            return false
        }
        // Values in Go's plain range with few decimals: the fewest decimals that read back exactly are
        // the shortest representation, found with a multiply and a divide instead of a digit generator.
        if magnitude >= 1e-4, magnitude < 1_000_000 {
            for decimals in 1..<powersOfTen.count {
                let scale = powersOfTen[decimals]
                let scaled = (magnitude * scale).rounded()
                guard scaled / scale == magnitude else { continue }
                let digits = UInt64(scaled)
                let divisor = integerPowersOfTen[decimals]
                if value < 0 { out.write(UInt8(ascii: "-")) }
                writeUnsigned(digits / divisor, to: &out)
                out.write(UInt8(ascii: "."))
                writeUnsigned(digits % divisor, width: decimals, to: &out)
                return true
            }
        }
        var text = value.description
        text.withUTF8 { utf8 in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { digits in
                writeGoDigits(description: utf8, digits: digits, to: &out)
            }
        }
        return true
    }

    /// Re-lays Swift's shortest round-trip description (`123.45`, `1e-05`, `1.5e+20`) in Go's `'g'` layout.
    private static func writeGoDigits(
        description utf8: UnsafeBufferPointer<UInt8>, digits: UnsafeMutableBufferPointer<UInt8>, to out: inout ByteWriter
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
        if negative { out.write(UInt8(ascii: "-")) }
        guard count > first else {
            out.write(UInt8(ascii: "0"))
            return
        }
        let significant = count - first
        let decimalExponent = decimalPoint - 1
        if decimalExponent < -4 || decimalExponent >= 6 {
            out.write(digits[first])
            if significant > 1 {
                out.write(UInt8(ascii: "."))
                for position in (first + 1)..<count { out.write(digits[position]) }
            }
            out.write(UInt8(ascii: "e"))
            out.write(decimalExponent < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let magnitude = decimalExponent.magnitude
            if magnitude < 10 { out.write(UInt8(ascii: "0")) }
            writeUnsigned(UInt64(magnitude), to: &out)
        } else if decimalPoint <= 0 {
            out.write(UInt8(ascii: "0"))
            out.write(UInt8(ascii: "."))
            for _ in 0..<(-decimalPoint) { out.write(UInt8(ascii: "0")) }
            for position in first..<count { out.write(digits[position]) }
        } else {
            for offset in 0..<max(decimalPoint, significant) {
                if offset == decimalPoint { out.write(UInt8(ascii: ".")) }
                out.write(offset < significant ? digits[first + offset] : UInt8(ascii: "0"))
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

    static func writeInteger(_ value: Int64, to out: inout ByteWriter) {
        if value < 0 { out.write(UInt8(ascii: "-")) }
        writeUnsigned(value.magnitude, to: &out)
    }

    /// Writes `value` in decimal, left-padded with zeros to `width` digits.
    static func writeUnsigned(_ value: UInt64, width: Int = 1, to out: inout ByteWriter) {
        var divisor: UInt64 = 1
        var digits = 1
        while digits < width || (divisor <= value / 10) {
            divisor *= 10
            digits += 1
        }
        var rest = value
        while divisor > 0 {
            out.write(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    static func writeOpenMetricsTimestamp(milliseconds: Int64, to out: inout ByteWriter) {
        if milliseconds < 0 { out.write(UInt8(ascii: "-")) }
        let magnitude = milliseconds.magnitude
        writeUnsigned(magnitude / 1000, to: &out)
        var fraction = magnitude % 1000
        guard fraction != 0 else { return }
        out.write(UInt8(ascii: "."))
        var divisor: UInt64 = 100
        while fraction != 0 {
            out.write(UInt8(ascii: "0") + UInt8(fraction / divisor))
            fraction %= divisor
            divisor /= 10
        }
    }
}
