/// Splits PromQL text into tokens; errors carry the line and column of the bad character.
struct Lexer {
    /// The longest query text accepted, in bytes.
    static let maxLength = 64 * 1024

    let text: [UInt8]
    var index = 0
    private var bracketDepth = 0

    init(_ text: [UInt8]) {
        self.text = text
    }

    /// All tokens, ending with `.end`.
    static func tokenize(_ text: [UInt8]) throws(PromQLError) -> [Token] {
        guard text.count <= maxLength else {
            throw PromQLError(line: 1, column: 1, "query is \(text.count) bytes long; at most \(maxLength) are allowed")
        }
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    // MARK: - Scanning

    func peek(_ ahead: Int = 0) -> UInt8? {
        index + ahead < text.count ? text[index + ahead] : nil
    }

    func error(_ message: String, at offset: Int? = nil) -> PromQLError {
        PromQLError.at(offset ?? index, in: text, message)
    }

    private mutating func next() throws(PromQLError) -> Token {
        skipSpaceAndComments()
        let start = index
        guard let byte = peek() else { return Token(kind: .end, offset: start) }
        func single(_ kind: Token.Kind, length: Int = 1) -> Token {
            index += length
            return Token(kind: kind, offset: start)
        }
        switch byte {
        case UInt8(ascii: "("): return single(.leftParen)
        case UInt8(ascii: ")"): return single(.rightParen)
        case UInt8(ascii: "{"): return single(.leftBrace)
        case UInt8(ascii: "}"): return single(.rightBrace)
        case UInt8(ascii: "["):
            bracketDepth += 1
            return single(.leftBracket)
        case UInt8(ascii: "]"):
            bracketDepth = max(0, bracketDepth - 1)
            return single(.rightBracket)
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: "@"): return single(.at)
        case UInt8(ascii: "+"): return single(.plus)
        case UInt8(ascii: "-"): return single(.minus)
        case UInt8(ascii: "*"): return single(.star)
        case UInt8(ascii: "/"): return single(.slash)
        case UInt8(ascii: "%"): return single(.percent)
        case UInt8(ascii: "^"): return single(.caret)
        case UInt8(ascii: "="):
            if peek(1) == UInt8(ascii: "=") { return single(.equal, length: 2) }
            if peek(1) == UInt8(ascii: "~") { return single(.regexMatch, length: 2) }
            return single(.assign)
        case UInt8(ascii: "!"):
            if peek(1) == UInt8(ascii: "=") { return single(.notEqual, length: 2) }
            if peek(1) == UInt8(ascii: "~") { return single(.regexNoMatch, length: 2) }
            throw error("unexpected character after \"!\"; expected \"!=\" or \"!~\"")
        case UInt8(ascii: "<"):
            return peek(1) == UInt8(ascii: "=") ? single(.lessOrEqual, length: 2) : single(.less)
        case UInt8(ascii: ">"):
            return peek(1) == UInt8(ascii: "=") ? single(.greaterOrEqual, length: 2) : single(.greater)
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
            return Token(kind: .string(try scanString()), offset: start)
        case UInt8(ascii: ":") where bracketDepth > 0:
            return single(.colon)
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
            return Token(kind: try scanNumberOrDuration(), offset: start)
        default:
            guard Lexer.isIdentifierStart(byte) else {
                let scalar =
                    String(decoding: text[start..<min(text.count, start + 4)], as: UTF8.self).first.map(String.init)
                    ?? "?"
                throw error("unexpected character \"\(scalar)\"")
            }
            while let next = peek(), Lexer.isIdentifierPart(next) { index += 1 }
            return Token(kind: .identifier(String(decoding: text[start..<index], as: UTF8.self)), offset: start)
        }
    }

    private mutating func skipSpaceAndComments() {
        while let byte = peek() {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
                || byte == UInt8(ascii: "\r")
            {
                index += 1
            } else if byte == UInt8(ascii: "#") {
                while let next = peek(), next != UInt8(ascii: "\n") { index += 1 }
            } else {
                return
            }
        }
    }

    static func isIdentifierStart(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
            || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
    }

    static func isIdentifierPart(_ byte: UInt8) -> Bool {
        isIdentifierStart(byte) || isDigit(byte)
    }

    static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
