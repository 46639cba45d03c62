// MARK: - Plain and quoted scalars

extension YAMLParser {
    /// A plain or quoted scalar; plain `~`, `null`, `Null` and `NULL` are null nodes.
    mutating func parseScalar(parentIndent: Int, flow: Bool) throws(YAMLError) -> YAMLNode {
        guard let byte = peek() else { return YAMLNode(.null, at: mark()) }
        if byte == Byte.singleQuote || byte == Byte.doubleQuote {
            return try parseQuotedScalar()
        }
        try refuseUnsupportedNodeStart()
        let start = mark()
        let next = peek(1)
        let indicatorAlone = isBlankOrEnd(1) || (flow && next.map(Byte.isFlowIndicator) == true)
        if (byte == Byte.dash || byte == Byte.question || byte == Byte.colon) && indicatorAlone {
            throw error("unexpected \(describe(byte)); a value was expected here")
        }
        if Byte.isFlowIndicator(byte) || byte == Byte.pipe || byte == Byte.greater || byte == Byte.hash {
            throw error("unexpected \(describe(byte)); a value was expected here")
        }
        var text = scanPlainLine(flow: flow)
        if text.isEmpty {
            throw error("unexpected \(describe(byte)); a value was expected here")
        }
        try appendPlainContinuations(to: &text, parentIndent: parentIndent, flow: flow)
        switch text {
        case "~", "null", "Null", "NULL": return YAMLNode(.null, at: start)
        default: return YAMLNode(.scalar(text, .plain), at: start)
        }
    }

    /// Scans the plain text on the current line and stops before trailing blanks, a comment,
    /// `: ` and, in flow context, flow indicators.
    mutating func scanPlainLine(flow: Bool) -> String {
        let start = pos
        var end = pos
        while let byte = peek(), !isLineBreak() {
            if byte == Byte.colon && (isBlankOrEnd(1) || (flow && peek(1).map(Byte.isFlowIndicator) == true)) { break }
            if flow && Byte.isFlowIndicator(byte) { break }
            if byte == Byte.hash && pos > start && isBlankOrEnd(-1) { break }
            pos += 1
            if byte != Byte.space && byte != Byte.tab { end = pos }
        }
        pos = end
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// Folds the more-indented lines that continue a plain scalar: one break is a space,
    /// each further break a newline.
    private mutating func appendPlainContinuations(
        to text: inout String, parentIndent: Int, flow: Bool
    ) throws(YAMLError) {
        while true {
            let saved = (pos, line, lineStart)
            skipInlineSpace()
            guard isLineBreak() else {
                (pos, line, lineStart) = saved
                return
            }
            var breaks = 0
            while isLineBreak() {
                consumeLineBreak()
                breaks += 1
                skipInlineSpace()
            }
            let leadingSpaces = bytes[lineStart..<pos].prefix { $0 == Byte.space }.count
            let continues =
                !isAtEnd && leadingSpaces == indent && (flow || indent > parentIndent)
                && !(peek() == Byte.hash) && !atDocumentMarker(Byte.dash) && !atDocumentMarker(Byte.dot)
                && !(flow && peek().map(Byte.isFlowIndicator) == true)
                && !(peek() == Byte.colon && isBlankOrEnd(1))
            guard continues else {
                (pos, line, lineStart) = saved
                return
            }
            let more = scanPlainLine(flow: flow)
            guard !more.isEmpty else {
                (pos, line, lineStart) = saved
                return
            }
            text += breaks == 1 ? " " : String(repeating: "\n", count: breaks - 1)
            text += more
        }
    }

    /// A single-quoted (`''` is a quote) or double-quoted (backslash escapes) scalar, folded across lines.
    mutating func parseQuotedScalar() throws(YAMLError) -> YAMLNode {
        let start = mark()
        guard let quote = peek() else { return YAMLNode(.null, at: start) }
        let isDouble = quote == Byte.doubleQuote
        advance()
        var output: [UInt8] = []
        var pendingBlanks: [UInt8] = []
        while true {
            guard let byte = peek() else {
                let kind =
                    isDouble ? "double-quoted string; add the closing \"" : "single-quoted string; add the closing '"
                throw YAMLError(file: file, at: start, "unterminated \(kind)")
            }
            if byte == quote {
                if !isDouble && peek(1) == Byte.singleQuote {
                    output += pendingBlanks
                    pendingBlanks.removeAll()
                    output.append(Byte.singleQuote)
                    advance(by: 2)
                    continue
                }
                advance()
                break
            }
            if byte == Byte.space || byte == Byte.tab {
                pendingBlanks.append(byte)
                advance()
                continue
            }
            if isLineBreak() {
                pendingBlanks.removeAll()
                var breaks = 0
                while isLineBreak() {
                    consumeLineBreak()
                    breaks += 1
                    skipInlineSpace()
                }
                if breaks == 1 {
                    output.append(Byte.space)
                } else {
                    output += [UInt8](repeating: Byte.newline, count: breaks - 1)
                }
                continue
            }
            output += pendingBlanks
            pendingBlanks.removeAll()
            if isDouble && byte == Byte.backslash {
                if isLineBreak(1) {
                    advance()
                    consumeLineBreak()
                    skipInlineSpace()
                    continue
                }
                try parseEscape(into: &output)
                continue
            }
            output.append(byte)
            advance()
        }
        output += pendingBlanks
        let style: YAMLScalarStyle = isDouble ? .doubleQuoted : .singleQuoted
        return YAMLNode(.scalar(String(decoding: output, as: UTF8.self), style), at: start)
    }

    /// Single-character escapes of double-quoted scalars and the scalar each stands for.
    private static let simpleEscapes: [UInt8: UInt32] = [
        UInt8(ascii: "0"): 0, UInt8(ascii: "a"): 7, UInt8(ascii: "b"): 8, UInt8(ascii: "t"): 9, Byte.tab: 9,
        UInt8(ascii: "n"): 10, UInt8(ascii: "v"): 11, UInt8(ascii: "f"): 12, UInt8(ascii: "r"): 13,
        UInt8(ascii: "e"): 0x1B, Byte.space: 0x20, Byte.doubleQuote: 0x22, UInt8(ascii: "/"): 0x2F,
        Byte.backslash: 0x5C, UInt8(ascii: "N"): 0x85, UInt8(ascii: "_"): 0xA0, UInt8(ascii: "L"): 0x2028,
        UInt8(ascii: "P"): 0x2029,
    ]

    /// One backslash escape of a double-quoted scalar, appended as UTF-8.
    private mutating func parseEscape(into output: inout [UInt8]) throws(YAMLError) {
        let escapeMark = mark()
        advance()
        guard let code = peek() else {
            throw YAMLError(file: file, at: escapeMark, "unterminated double-quoted string; add the closing \"")
        }
        advance()
        let value: UInt32
        if let known = Self.simpleEscapes[code] {
            value = known
        } else {
            let digits: Int
            switch code {
            case UInt8(ascii: "x"): digits = 2
            case UInt8(ascii: "u"): digits = 4
            case UInt8(ascii: "U"): digits = 8
            default:
                throw YAMLError(
                    file: file, at: escapeMark,
                    "unknown escape \\\(Character(Unicode.Scalar(code))) in a double-quoted string; "
                        + "use \\n, \\t, \\\", \\\\, \\xXX, \\uXXXX or \\UXXXXXXXX")
            }
            var number: UInt32 = 0
            for _ in 0..<digits {
                guard let byte = peek(), let digit = hexValue(byte) else {
                    throw YAMLError(
                        file: file, at: escapeMark,
                        "escape \\\(Character(Unicode.Scalar(code))) needs \(digits) hexadecimal digits")
                }
                number = number << 4 | digit
                advance()
            }
            value = number
        }
        guard let scalar = Unicode.Scalar(value) else {
            let hex = String(value, radix: 16, uppercase: true)
            throw YAMLError(file: file, at: escapeMark, "escape names U+\(hex), which is not a Unicode scalar value")
        }
        output += Array(String(Character(scalar)).utf8)
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
