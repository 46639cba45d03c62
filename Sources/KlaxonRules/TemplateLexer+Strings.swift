// MARK: - Quoted constants

extension TemplateLexer {
    /// A `"…"` string with Go's escapes; it may not span lines.
    mutating func lexQuoted(_ start: TemplatePosition) throws(TemplateError) -> String {
        advance()
        var out: [UInt8] = []
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n") else {
                throw error("unterminated quoted string", at: start)
            }
            advance()
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                try unescape(into: &out, quote: UInt8(ascii: "\""), start: start)
            } else {
                out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A `` `…` `` raw string: no escapes, may span lines.
    mutating func lexRaw(_ start: TemplatePosition) throws(TemplateError) -> String {
        advance()
        let from = current
        while let byte = peek(), byte != UInt8(ascii: "`") { advance() }
        guard peek() != nil else { throw error("unterminated raw quoted string", at: start) }
        let text = String(decoding: slice(from: from), as: UTF8.self)
        advance()
        return text
    }

    /// A `'x'` character constant; its value is the code point, as Go gives it.
    mutating func lexChar(_ start: TemplatePosition) throws(TemplateError) -> UInt32 {
        advance()
        var out: [UInt8] = []
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n") else {
                throw error("unterminated character constant", at: start)
            }
            advance()
            if byte == UInt8(ascii: "'") { break }
            if byte == UInt8(ascii: "\\") {
                try unescape(into: &out, quote: UInt8(ascii: "'"), start: start)
            } else {
                out.append(byte)
            }
        }
        let scalars = Array(String(decoding: out, as: UTF8.self).unicodeScalars)
        guard scalars.count == 1, let only = scalars.first else {
            throw error("malformed character constant", at: start)
        }
        return only.value
    }

    private mutating func unescape(into out: inout [UInt8], quote: UInt8, start: TemplatePosition) throws(TemplateError)
    {
        guard let byte = peek() else { throw error("unterminated quoted string", at: start) }
        advance()
        switch byte {
        case UInt8(ascii: "a"): out.append(0x07)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "\\"): out.append(byte)
        case quote: out.append(byte)
        case UInt8(ascii: "x"): out.append(UInt8(try digits(2, radix: 16, start: start)))
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            let rest = try digits(2, radix: 8, start: start)
            let value = UInt32(byte - UInt8(ascii: "0")) * 64 + rest
            guard value <= 255 else { throw error("octal escape value > 255", at: start) }
            out.append(UInt8(value))
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let value = try digits(byte == UInt8(ascii: "u") ? 4 : 8, radix: 16, start: start)
            guard let scalar = Unicode.Scalar(value) else {
                throw error("escape sequence is invalid Unicode code point", at: start)
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw error("unknown escape sequence \\\(String(decoding: [byte], as: UTF8.self))", at: start)
        }
    }

    private mutating func digits(_ count: Int, radix: UInt32, start: TemplatePosition) throws(TemplateError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<count {
            guard let byte = peek(), let digit = hexValue(byte), digit < radix else {
                throw error("invalid character in escape sequence", at: start)
            }
            advance()
            value = value * radix + digit
        }
        return value
    }

    private func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }
}
