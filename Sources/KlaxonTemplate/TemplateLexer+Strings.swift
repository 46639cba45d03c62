import KlaxonRuntime

// MARK: - Quoted constants

extension TemplateLexer {
    /// A `"…"` string with Go's escapes; it may not span lines.
    mutating func lexQuoted(_ start: TemplatePosition) throws(TemplateError) -> String {
        let bytes = try readInterpreted(quote: UInt8(ascii: "\""), what: "quoted string", start: start)
        return String(decoding: bytes, as: UTF8.self)
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
        let out = try readInterpreted(quote: UInt8(ascii: "'"), what: "character constant", start: start)
        let scalars = Array(String(decoding: out, as: UTF8.self).unicodeScalars)
        guard scalars.count == 1, let only = scalars.first else {
            throw error("malformed character constant", at: start)
        }
        return only.value
    }

    /// The bytes of a literal opened by `quote` at the current position, escapes decoded, up to the
    /// closing `quote`; a line break or the end of the text first is "unterminated `what`".
    private mutating func readInterpreted(quote: UInt8, what: String, start: TemplatePosition) throws(TemplateError)
        -> [UInt8]
    {
        advance()
        var out: [UInt8] = []
        while true {
            guard let byte = peek(), byte != UInt8(ascii: "\n") else { throw error("unterminated \(what)", at: start) }
            advance()
            if byte == quote { return out }
            if byte == UInt8(ascii: "\\") {
                try unescape(into: &out, quote: quote, start: start)
            } else {
                out.append(byte)
            }
        }
    }

    /// Decodes the escape after a backslash; errors point at the literal's start, as Go's do.
    private mutating func unescape(into out: inout [UInt8], quote: UInt8, start: TemplatePosition) throws(TemplateError)
    {
        guard let failure = decodeEscape(quote: quote, into: &out) else { return }
        let message =
            switch failure {
            case .unterminated: "unterminated quoted string"
            case .unknown(let byte): "unknown escape sequence \\\(String(decoding: [byte], as: UTF8.self))"
            case .missingDigits: "invalid character in escape sequence"
            case .octalAboveByte: "octal escape value > 255"
            case .notAScalar: "escape sequence is invalid Unicode code point"
            }
        throw error(message, at: start)
    }
}
