import KlaxonRuntime

/// Splits template text into tokens, Go text/template style: `{{` `}}` actions, `{{-` `-}}`
/// whitespace trimming, `{{/* comments */}}`, Go string, raw string, number and char constants.
struct TemplateLexer {
    private let bytes: [UInt8]
    private let name: String
    private var index = 0
    private var line = 1
    /// Column of `index`, counted in characters (continuation bytes do not count).
    private var column = 1
    private var lastHadSpace = true
    private(set) var tokens: [TemplateToken] = []

    init(_ text: String, name: String) {
        bytes = Array(text.utf8)
        self.name = name
    }

    /// Lexes the whole text.
    static func tokenize(_ text: String, name: String) throws(TemplateError) -> [TemplateToken] {
        var lexer = TemplateLexer(text, name: name)
        try lexer.run()
        return lexer.tokens
    }

    // MARK: - Text

    private mutating func run() throws(TemplateError) {
        var trimNextText = false
        while index < bytes.count {
            let textStart = index
            let textPosition = position
            while index < bytes.count && !startsWith("{{") { advance() }
            var text = bytes[textStart..<index]
            if trimNextText { text = text.drop(while: isSpace) }
            trimNextText = false
            guard index < bytes.count else {
                emitText(text, at: textPosition)
                break
            }
            let trimLeft = startsWith("{{- ") || startsWith("{{-\t") || startsWith("{{-\n") || startsWith("{{-\r")
            if trimLeft {
                while let last = text.last, isSpace(last) { text = text.dropLast() }
            }
            emitText(text, at: textPosition)
            let delimPosition = position
            advance(by: trimLeft ? 3 : 2)
            // A comment starts right after `{{` or after the `{{- ` trim marker.
            if trimLeft { advance() }
            if startsWith("/*") {
                trimNextText = try lexComment(from: delimPosition)
                continue
            }
            tokens.append(TemplateToken(kind: .leftDelim, position: delimPosition))
            trimNextText = try lexAction()
        }
        tokens.append(TemplateToken(kind: .eof, position: position))
    }

    private mutating func emitText(_ text: ArraySlice<UInt8>, at start: TemplatePosition) {
        guard !text.isEmpty else { return }
        tokens.append(TemplateToken(kind: .text(String(decoding: text, as: UTF8.self)), position: start))
    }

    /// A comment must end with `*/` right before the closing delimiter (optionally ` -}}`).
    private mutating func lexComment(from start: TemplatePosition) throws(TemplateError) -> Bool {
        advance(by: 2)
        while index < bytes.count && !startsWith("*/") { advance() }
        guard index < bytes.count else { throw error("unclosed comment", at: start) }
        advance(by: 2)
        if startsWith("}}") {
            advance(by: 2)
            return false
        }
        if startsWith(" -}}") || startsWith("\t-}}") || startsWith("\n-}}") || startsWith("\r-}}") {
            advance(by: 4)
            return true
        }
        throw error("comment ends before closing delimiter", at: position)
    }

    // MARK: - Actions

    /// Lexes up to and including `}}`; returns whether it was `-}}` (trim what follows).
    private mutating func lexAction() throws(TemplateError) -> Bool {
        var parenDepth = 0
        while true {
            let hadSpace = skipSpaces()
            lastHadSpace = hadSpace
            let start = position
            guard index < bytes.count else { throw error("unclosed action", at: start) }
            if hadSpace && startsWith("-}}") {
                advance(by: 3)
                tokens.append(TemplateToken(kind: .rightDelim, position: start))
                return true
            }
            if startsWith("}}") {
                advance(by: 2)
                tokens.append(TemplateToken(kind: .rightDelim, position: start))
                return false
            }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "|"):
                advance()
                emit(.pipe, start)
            case UInt8(ascii: ","):
                advance()
                emit(.comma, start)
            case UInt8(ascii: "("):
                advance()
                parenDepth += 1
                emit(.leftParen, start)
            case UInt8(ascii: ")"):
                guard parenDepth > 0 else { throw error("unexpected right paren", at: start) }
                advance()
                parenDepth -= 1
                emit(.rightParen, start)
            case UInt8(ascii: "="):
                advance()
                emit(.assign, start)
            case UInt8(ascii: ":"):
                guard startsWith(":=") else { throw error("expected :=", at: start) }
                advance(by: 2)
                emit(.declare, start)
            case UInt8(ascii: "\""): emit(.string(try lexQuoted(start)), start)
            case UInt8(ascii: "`"): emit(.string(try lexRaw(start)), start)
            case UInt8(ascii: "'"): emit(.char(try lexChar(start)), start)
            case UInt8(ascii: "$"):
                advance()
                emit(.variable("$" + word()), start)
            case UInt8(ascii: "."):
                if index + 1 < bytes.count, isDigit(bytes[index + 1]) {
                    emit(.number(number()), start)
                } else {
                    advance()
                    let name = word()
                    emit(name.isEmpty ? .dot : .field(name), start)
                }
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                emit(.number(number()), start)
            default:
                guard isWordByte(byte) else {
                    throw error("unrecognized character in action: \(describe(byte))", at: start)
                }
                emit(.identifier(word()), start)
            }
        }
    }

    private mutating func emit(_ kind: TemplateToken.Kind, _ at: TemplatePosition) {
        tokens.append(TemplateToken(kind: kind, position: at, glued: !lastHadSpace))
    }

    private mutating func word() -> String {
        let start = index
        while index < bytes.count && isWordByte(bytes[index]) { advance() }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// A number as Go scans it: sign, digits, `_`, `.`, exponent, hex prefix; validated by the parser.
    private mutating func number() -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { advance() }
        while index < bytes.count {
            let byte = bytes[index]
            let previous = index > start ? bytes[index - 1] | 0x20 : 0
            let signAfterExponent =
                (byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-"))
                && (previous == UInt8(ascii: "e") || previous == UInt8(ascii: "p"))
            guard isWordByte(byte) || byte == UInt8(ascii: ".") || signAfterExponent else { break }
            advance()
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    // MARK: - Helpers

    var position: TemplatePosition { TemplatePosition(line: line, column: column) }

    mutating func advance(by count: Int = 1) {
        for _ in 0..<count where index < bytes.count {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if index + 1 >= bytes.count || bytes[index + 1] & 0xC0 != 0x80 {
                // The next character starts after this byte unless a continuation byte follows.
                column += 1
            }
            index += 1
        }
    }

    /// Skips blanks inside an action; returns whether any were skipped.
    private mutating func skipSpaces() -> Bool {
        let start = index
        while index < bytes.count && isSpace(bytes[index]) { advance() }
        return index > start
    }

    private func startsWith(_ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        return literal.withUTF8Buffer { buffer in
            for offset in 0..<count where bytes[index + offset] != buffer[offset] { return false }
            return true
        }
    }

    func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    var current: Int { index }

    /// Decodes the Go escape whose code byte is at the current position and moves past it; the
    /// failure, with the position unchanged, when it does not decode.
    mutating func decodeEscape(quote: UInt8, into out: inout [UInt8]) -> GoEscape.Failure? {
        switch GoEscape.decode(bytes, at: index, quote: quote, into: &out) {
        case .success(let next):
            advance(by: next - index)
            return nil
        case .failure(let failure):
            return failure
        }
    }

    func slice(from start: Int) -> ArraySlice<UInt8> { bytes[start..<index] }

    func error(_ message: String, at position: TemplatePosition) -> TemplateError {
        TemplateError(.parse, template: name, position: position, message: message)
    }
}

// MARK: - Byte classes

func isSpace(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
}

func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

/// Letters, digits, `_`, and any non-ASCII byte (Go allows Unicode letters in identifiers).
func isWordByte(_ byte: UInt8) -> Bool {
    isDigit(byte) || byte == UInt8(ascii: "_") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
        || byte >= 0x80
}

func describe(_ byte: UInt8) -> String {
    byte >= 0x20 && byte < 0x7F ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x" + String(byte, radix: 16)
}
