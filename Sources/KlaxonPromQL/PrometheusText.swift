import KlaxonMetrics
import KlaxonRuntime

// MARK: - Values printed inside error messages as Prometheus (Go's fmt) prints them

/// Prometheus's `labels.Labels.String()`: `{__name__="b", i="2"}`, every label, values quoted as Go quotes.
func goLabels(_ labels: Labels) -> String {
    "{" + labels.map { "\($0.name)=\(goQuoted($0.value))" }.joined(separator: ", ") + "}"
}

/// Go's `strconv.Quote`, as Prometheus quotes values in its messages.
func goQuoted(_ value: String) -> String {
    GoQuote.quote(value, delimiter: "\"")
}

/// Go's `%v` of a float64 (`strconv.FormatFloat(v, 'g', -1, 64)`): shortest digits, with an exponent when
/// the decimal exponent is below -4 or at least 6 (`1e+06`, `123456`, `1e+30`, `0.0001`, `1e-05`).
func goFormatV(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
    if value == 0 { return value.sign == .minus ? "-0" : "0" }
    // Swift's description has the same shortest digits; take them and the decimal point's place from it.
    var text = "\(Swift.abs(value))"
    var exponent = 0
    if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
        exponent = Int(text[text.index(after: e)...]) ?? 0
        text = String(text[..<e])
    }
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    let whole = String(parts[0])
    let fraction = parts.count > 1 ? String(parts[1]) : ""
    var digits = whole + fraction
    var point = whole.count + exponent
    while digits.hasPrefix("0") && digits.count > 1 {
        digits.removeFirst()
        point -= 1
    }
    while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
    let sign = value < 0 ? "-" : ""
    let decimalExponent = point - 1
    if decimalExponent < -4 || decimalExponent >= 6 {
        var mantissa = String(digits.prefix(1))
        if digits.count > 1 { mantissa += "." + digits.dropFirst() }
        let magnitude = String(Swift.abs(decimalExponent))
        return sign + mantissa + "e" + (decimalExponent < 0 ? "-" : "+") + (magnitude.count < 2 ? "0" : "")
            + magnitude
    }
    if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
    if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) }
    return sign + digits.prefix(point) + "." + digits.dropFirst(point)
}
