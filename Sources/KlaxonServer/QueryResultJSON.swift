import KlaxonMetrics
import KlaxonPromQL
import KlaxonRuntime

/// Writes query results in the JSON of Prometheus's HTTP API (`/api/v1/query`, `query_range`, `series`, labels).
///
/// Values are strings as Go's `strconv.FormatFloat(v, 'f', -1, 64)` prints them (`"NaN"`,
/// `"+Inf"`, `"-Inf"`); timestamps are Unix seconds with at most three decimals.
package enum QueryResultJSON {
    /// `{"status":"success","data":{"resultType":…,"result":…}}` for `value` evaluated at `time` (ms).
    package static func success(_ value: QueryValue, at time: Int64) -> [UInt8] {
        var out = "{\"status\":\"success\",\"data\":{\"resultType\":\"\(resultType(value))\",\"result\":"
        switch value {
        case .scalar(let number):
            appendPoint(time, number, to: &out)
        case .string(let text):
            out += "["
            appendTimestamp(time, to: &out)
            out += ","
            JSONString.append(text, to: &out, htmlSafe: true)
            out += "]"
        case .vector(let elements):
            out += "["
            for (index, element) in elements.enumerated() {
                if index > 0 { out += "," }
                out += "{\"metric\":"
                appendLabels(element.labels, to: &out)
                out += ",\"value\":"
                appendPoint(time, element.value, to: &out)
                out += "}"
            }
            out += "]"
        case .matrix(let series):
            out += "["
            for (index, entry) in series.enumerated() {
                if index > 0 { out += "," }
                out += "{\"metric\":"
                appendLabels(entry.labels, to: &out)
                out += ",\"values\":["
                for (position, sample) in entry.samples.enumerated() {
                    if position > 0 { out += "," }
                    appendPoint(sample.timestamp, sample.value, to: &out)
                }
                out += "]}"
            }
            out += "]"
        }
        out += "}}"
        return Array(out.utf8)
    }

    /// `{"status":"success","data":[{label: value, …}, …]}`, the answer of `/api/v1/series`.
    package static func series(_ series: [Labels]) -> [UInt8] {
        var out = "{\"status\":\"success\",\"data\":["
        for (index, labels) in series.enumerated() {
            if index > 0 { out += "," }
            appendLabels(labels, to: &out)
        }
        out += "]}"
        return Array(out.utf8)
    }

    /// `{"status":"success","data":["…", …]}`, the answer of `/api/v1/labels` and label values.
    package static func strings(_ strings: [String]) -> [UInt8] {
        var out = "{\"status\":\"success\",\"data\":["
        for (index, text) in strings.enumerated() {
            if index > 0 { out += "," }
            JSONString.append(text, to: &out, htmlSafe: true)
        }
        out += "]}"
        return Array(out.utf8)
    }

    /// `{"status":"error","errorType":…,"error":…}`.
    package static func error(type: String, message: String) -> [UInt8] {
        var out = "{\"status\":\"error\",\"errorType\":"
        JSONString.append(type, to: &out, htmlSafe: true)
        out += ",\"error\":"
        JSONString.append(message, to: &out, htmlSafe: true)
        out += "}"
        return Array(out.utf8)
    }

    // MARK: - Pieces

    /// The `resultType` Prometheus names each value type with.
    private static func resultType(_ value: QueryValue) -> String {
        switch value {
        case .scalar: "scalar"
        case .string: "string"
        case .vector: "vector"
        case .matrix: "matrix"
        }
    }

    private static func appendPoint(_ time: Int64, _ value: Double, to out: inout String) {
        out += "["
        appendTimestamp(time, to: &out)
        out += ",\""
        out += formatValue(value)
        out += "\"]"
    }

    private static func appendLabels(_ labels: Labels, to out: inout String) {
        out += "{"
        for (index, label) in labels.enumerated() {
            if index > 0 { out += "," }
            JSONString.append(label.name, to: &out, htmlSafe: true)
            out += ":"
            JSONString.append(label.value, to: &out, htmlSafe: true)
        }
        out += "}"
    }

    /// Unix seconds with the milliseconds as up to three decimals, trailing zeros dropped.
    static func appendTimestamp(_ milliseconds: Int64, to out: inout String) {
        let negative = milliseconds < 0
        let magnitude = milliseconds.magnitude
        if negative { out += "-" }
        out += String(magnitude / 1000)
        var fraction = magnitude % 1000
        guard fraction != 0 else { return }
        var digits = 3
        while fraction % 10 == 0 {
            fraction /= 10
            digits -= 1
        }
        let text = String(fraction)
        out += "." + String(repeating: "0", count: digits - text.count) + text
    }

    /// A sample value as Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, no exponent.
    package static func formatValue(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        // Swift's description holds the shortest round-trip digits, possibly with an exponent.
        let text = value.magnitude.description
        // Without an exponent it is already Go's text, but for a trailing ".0" (the common case,
        // taken without the digit shuffling below, which range answers pay per point).
        if !text.utf8.contains(UInt8(ascii: "e")) {
            let digits = text.hasSuffix(".0") ? String(text.dropLast(2)) : text
            return value < 0 ? "-" + digits : digits
        }
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(String(text[text.index(after: e)...].filter { $0 != "+" })) ?? 0
        }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        let integerPart = String(parts[0])
        var fractionPart = parts.count > 1 ? String(parts[1]) : ""
        while fractionPart.hasSuffix("0") { fractionPart.removeLast() }
        var digits = integerPart + fractionPart
        var point = integerPart.count + exponent
        while digits.count > 1, digits.hasPrefix("0") {
            digits.removeFirst()
            point -= 1
        }
        let sign = value < 0 ? "-" : ""
        if point <= 0 {
            return sign + "0." + String(repeating: "0", count: -point) + digits
        }
        if point >= digits.count {
            return sign + digits + String(repeating: "0", count: point - digits.count)
        }
        let split = digits.index(digits.startIndex, offsetBy: point)
        return sign + digits[..<split] + "." + digits[split...]
    }
}
