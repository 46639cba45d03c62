/// Number formatting for benchmark output, without Foundation's locale-dependent formatters.
public enum Format {
    /// `value` with `digits` decimals, e.g. `fixed(3.14159, 2)` is `3.14`.
    public static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return "\(value)" }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        let whole = Int(scaled / scale)
        var text = (value < 0 && scaled > 0 ? "-" : "") + "\(whole)"
        if digits > 0 {
            let fraction = Int(scaled - Double(whole) * scale)
            let fractionText = "\(fraction)"
            text += "." + String(repeating: "0", count: Swift.max(0, digits - fractionText.count)) + fractionText
        }
        return text
    }

    /// Seconds as microseconds with one decimal, e.g. `1126.3 µs`.
    public static func micros(_ seconds: Double) -> String { fixed(seconds * 1e6, 1) + " µs" }

    /// Seconds as milliseconds with three decimals, e.g. `98.000 ms`.
    public static func millis(_ seconds: Double) -> String { fixed(seconds * 1e3, 3) + " ms" }

    /// A whole number with thin groups of three digits, e.g. `330 000`.
    public static func grouped(_ value: Double) -> String {
        guard value.isFinite else { return "\(value)" }
        let digits = Array(String(Int(value.rounded())))
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 && digit != "-" && digits[index - 1] != "-" { out += " " }
            out.append(digit)
        }
        return out
    }
}
