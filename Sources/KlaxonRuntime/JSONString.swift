/// JSON string literals, for the hand-written JSON that logs and HTTP answers carry.
package enum JSONString {
    /// `text` as a JSON string literal, quotes included; with `htmlSafe`, also `<`, `>`, `&`,
    /// U+2028 and U+2029 escaped as Go's `encoding/json` escapes them by default.
    package static func quoted(_ text: String, htmlSafe: Bool = false) -> String {
        var out = ""
        append(text, to: &out, htmlSafe: htmlSafe)
        return out
    }

    /// Appends `text` as a JSON string literal, quotes included, to `out`.
    package static func append(_ text: String, to out: inout String, htmlSafe: Bool = false) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{8}": out += "\\b"
            case "\u{C}": out += "\\f"
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                if htmlSafe { appendUnicodeEscape(scalar.value, to: &out) } else { out.unicodeScalars.append(scalar) }
            case _ where scalar.value < 0x20: appendUnicodeEscape(scalar.value, to: &out)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    private static func appendUnicodeEscape(_ value: UInt32, to out: inout String) {
        let hex = String(value, radix: 16)
        out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
