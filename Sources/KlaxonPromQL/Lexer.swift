/// Splits PromQL text into tokens; errors carry the line and column of the bad character.
struct Lexer {
    /// The longest query text accepted, in bytes.
    static let maxLength = 64 * 1024

    let text: [UInt8]
    var index = 0
    private var bracketDepth = 0
    // Prometheus's lexer state, which decides its error messages: open parentheses, inside `{...}`.
    private var parenDepth = 0
    private var braceOpen = false
    private var rangeDurationDue = false

    init(_ text: [UInt8]) {
        self.text = text
    }

    /// All tokens, ending with `.end`.
    static func tokenize(_ text: [UInt8]) throws(PromQLError) -> [Token] {
        let (tokens, error) = try tokenizeForParser(text)
        if let error { throw error }
        return tokens
    }

    /// The tokens before the first lexical error, then `.end` at the error's position, and the error.
    ///
    /// Prometheus lexes as its parser asks for tokens, so a syntax error before a lexical one is reported
    /// first; the parser reports this error only when it reaches the `.end` standing in for it.
    static func tokenizeForParser(_ text: [UInt8]) throws(PromQLError) -> (tokens: [Token], error: PromQLError?) {
        guard text.count <= maxLength else {
            throw PromQLError(line: 1, column: 1, "query is \(text.count) bytes long; at most \(maxLength) are allowed")
        }
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let token: Token
            do {
                token = try lexer.next()
            } catch {
                tokens.append(Token(kind: .end, offset: lexer.index))
                return (tokens, error)
            }
            tokens.append(token)
            if token.kind == .end { return (tokens, nil) }
        }
    }

    // MARK: - Scanning

    func peek(_ ahead: Int = 0) -> UInt8? {
        index + ahead < text.count ? text[index + ahead] : nil
    }

    func error(_ message: String, at offset: Int? = nil) -> PromQLError {
        PromQLError.at(offset ?? index, in: text, message)
    }

    /// Ends the scan with an error at `offset` (where Prometheus's lexer reports it).
    private mutating func fail(_ message: String, at offset: Int) -> PromQLError {
        index = offset
        return error(message, at: offset)
    }

    private mutating func next() throws(PromQLError) -> Token {
        if rangeDurationDue {
            rangeDurationDue = false
            try checkRangeDuration()
        }
        skipSpaceAndComments()
        let start = index
        guard let byte = peek() else {
            if braceOpen { throw fail("unexpected end of input inside braces", at: start) }
            if parenDepth != 0 { throw fail("unclosed left parenthesis", at: start) }
            if bracketDepth > 0 { throw fail("unclosed left bracket", at: start) }
            return Token(kind: .end, offset: start)
        }
        func single(_ kind: Token.Kind, length: Int = 1) -> Token {
            index += length
            return Token(kind: kind, offset: start)
        }
        if braceOpen { return try nextInsideBraces(byte, start) }
        switch byte {
        case UInt8(ascii: "("):
            parenDepth += 1
            return single(.leftParen)
        case UInt8(ascii: ")"):
            parenDepth -= 1
            if parenDepth < 0 { throw fail("unexpected right parenthesis ')'", at: start + 1) }
            return single(.rightParen)
        case UInt8(ascii: "{"):
            braceOpen = true
            return single(.leftBrace)
        case UInt8(ascii: "["):
            if bracketDepth > 0 { throw fail("unexpected left bracket '['", at: start) }
            bracketDepth += 1
            // Checked when the next token is asked for, so the parser sees `[` first, as Prometheus's does.
            rangeDurationDue = true
            return single(.leftBracket)
        case UInt8(ascii: "]"):
            if bracketDepth == 0 { throw fail("unexpected right bracket ']'", at: start) }
            bracketDepth -= 1
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
            if peek(1) == UInt8(ascii: "~") { throw fail("unexpected character after '=': '~'", at: start) }
            return single(.assign)
        case UInt8(ascii: "!"):
            if peek(1) == UInt8(ascii: "=") { return single(.notEqual, length: 2) }
            throw fail("unexpected character after '!': \(Lexer.quoteRune(in: text, at: start + 1))", at: start)
        case UInt8(ascii: "<"):
            return peek(1) == UInt8(ascii: "=") ? single(.lessOrEqual, length: 2) : single(.less)
        case UInt8(ascii: ">"):
            return peek(1) == UInt8(ascii: "=") ? single(.greaterOrEqual, length: 2) : single(.greater)
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
            return Token(kind: .string(try scanString()), offset: start)
        case UInt8(ascii: ":") where bracketDepth > 0:
            return single(.colon)
        case UInt8(ascii: "."):
            guard let digit = peek(1), Lexer.isDigit(digit) else {
                throw fail("unexpected character: '.'", at: start)
            }
            return Token(kind: try scanNumberOrDuration(), offset: start)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return Token(kind: try scanNumberOrDuration(), offset: start)
        default:
            guard Lexer.isIdentifierStart(byte) else {
                throw fail("unexpected character: \(Lexer.quoteRune(in: text, at: start))", at: start)
            }
            while let next = peek(), Lexer.isIdentifierPart(next) { index += 1 }
            return Token(kind: .identifier(String(decoding: text[start..<index], as: UTF8.self)), offset: start)
        }
    }

    /// Inside `{...}` Prometheus's lexer knows only label names, strings, commas and the four match operators.
    private mutating func nextInsideBraces(_ byte: UInt8, _ start: Int) throws(PromQLError) -> Token {
        func single(_ kind: Token.Kind, length: Int = 1) -> Token {
            index += length
            return Token(kind: kind, offset: start)
        }
        switch byte {
        case UInt8(ascii: ","): return single(.comma)
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
            return Token(kind: .string(try scanString()), offset: start)
        case UInt8(ascii: "="):
            return peek(1) == UInt8(ascii: "~") ? single(.regexMatch, length: 2) : single(.assign)
        case UInt8(ascii: "!"):
            if peek(1) == UInt8(ascii: "~") { return single(.regexNoMatch, length: 2) }
            if peek(1) == UInt8(ascii: "=") { return single(.notEqual, length: 2) }
            throw fail(
                "unexpected character after '!' inside braces: \(Lexer.quoteRune(in: text, at: start + 1))", at: start)
        case UInt8(ascii: "{"): throw fail("unexpected left brace '{'", at: start)
        case UInt8(ascii: "}"):
            braceOpen = false
            return single(.rightBrace)
        default:
            guard byte == UInt8(ascii: "_") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
            else {
                throw fail("unexpected character inside braces: \(Lexer.quoteRune(in: text, at: start))", at: start)
            }
            while let next = peek(), Lexer.isIdentifierPart(next), next != UInt8(ascii: ":") { index += 1 }
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
