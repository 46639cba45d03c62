/// Entry points of the YAML-subset parser.
///
/// The subset is what configuration and Prometheus rule files use: block and flow
/// collections, every scalar style, comments and one document. Anchors, aliases, tags,
/// complex keys, directives, several documents, tabs in indentation and duplicate keys
/// are refused with an error naming the line and column.
package enum YAML {
    /// Parses one document from text; an empty document is a null node.
    package static func parse(
        _ text: String, file: String, limits: YAMLLimits = .default
    ) throws(YAMLError) -> YAMLNode {
        try parse(bytes: Array(text.utf8), file: file, limits: limits)
    }

    /// Parses one document from UTF-8 bytes; an empty document is a null node.
    package static func parse(
        bytes: [UInt8], file: String, limits: YAMLLimits = .default
    ) throws(YAMLError) -> YAMLNode {
        guard bytes.count <= limits.maxBytes else {
            throw YAMLError(
                file: file, line: 1, column: 1,
                message: "document is \(bytes.count) bytes; the limit is \(limits.maxBytes) bytes")
        }
        var parser = YAMLParser(bytes: bytes, file: file, maxDepth: limits.maxDepth)
        return try parser.parseDocument()
    }
}

/// ASCII bytes the parser looks at.
enum Byte {
    static let tab: UInt8 = 0x09
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let hash = UInt8(ascii: "#")
    static let colon = UInt8(ascii: ":")
    static let dash = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let comma = UInt8(ascii: ",")
    static let openBracket = UInt8(ascii: "[")
    static let closeBracket = UInt8(ascii: "]")
    static let openBrace = UInt8(ascii: "{")
    static let closeBrace = UInt8(ascii: "}")
    static let singleQuote = UInt8(ascii: "'")
    static let doubleQuote = UInt8(ascii: "\"")
    static let backslash = UInt8(ascii: "\\")
    static let pipe = UInt8(ascii: "|")
    static let greater = UInt8(ascii: ">")
    static let question = UInt8(ascii: "?")
    static let ampersand = UInt8(ascii: "&")
    static let asterisk = UInt8(ascii: "*")
    static let exclamation = UInt8(ascii: "!")
    static let percent = UInt8(ascii: "%")
    static let at = UInt8(ascii: "@")
    static let backtick = UInt8(ascii: "`")
    static let plus = UInt8(ascii: "+")

    static func isFlowIndicator(_ byte: UInt8) -> Bool {
        byte == comma || byte == openBracket || byte == closeBracket || byte == openBrace || byte == closeBrace
    }
}

/// A recursive-descent parser over UTF-8 bytes; one instance reads one document.
struct YAMLParser {
    let bytes: [UInt8]
    let file: String
    let maxDepth: Int
    var pos = 0
    var line = 1
    var lineStart = 0
    var depth = 0
    /// Last computed character column on the current line, so marks on long lines stay O(1).
    private var columnCache: (lineStart: Int, pos: Int, column: Int) = (0, 0, 1)

    init(bytes: [UInt8], file: String, maxDepth: Int) {
        self.bytes = bytes
        self.file = file
        self.maxDepth = maxDepth
    }

    // MARK: - Document

    mutating func parseDocument() throws(YAMLError) -> YAMLNode {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            pos = 3
            lineStart = 3
        }
        try skipToNextContent()
        if !isAtEnd && indent == 0 && peek() == Byte.percent {
            throw error("directives (%) are not supported; remove the line")
        }
        let documentMark = mark()
        if atDocumentMarker(Byte.dash) {
            advance(by: 3)
            try skipToNextContent()
        }
        if isAtEnd || atDocumentMarker(Byte.dot) {
            try finishDocument()
            return YAMLNode(.null, at: documentMark)
        }
        let root = try parseBlockNode(parentIndent: -1, allowsCollections: true)
        try skipToNextContent()
        try finishDocument()
        return root
    }

    private mutating func finishDocument() throws(YAMLError) {
        if isAtEnd { return }
        if atDocumentMarker(Byte.dash) {
            throw error("a second document starts here; only one document per file is supported")
        }
        if atDocumentMarker(Byte.dot) {
            advance(by: 3)
            try skipToNextContent()
            if isAtEnd { return }
            throw error("content after the document end marker (...); only one document per file is supported")
        }
        throw error("unexpected content at this indentation; check that it lines up with its siblings")
    }

    // MARK: - Reading bytes

    var isAtEnd: Bool { pos >= bytes.count }

    func peek(_ offset: Int = 0) -> UInt8? {
        let index = pos + offset
        return index < bytes.count ? bytes[index] : nil
    }

    /// True at the end of input, a space, a tab or a line break.
    func isBlankOrEnd(_ offset: Int = 0) -> Bool {
        guard let byte = peek(offset) else { return true }
        return byte == Byte.space || byte == Byte.tab || byte == Byte.newline || byte == Byte.carriageReturn
    }

    func isLineBreak(_ offset: Int = 0) -> Bool {
        guard let byte = peek(offset) else { return false }
        return byte == Byte.newline || byte == Byte.carriageReturn
    }

    mutating func advance(by count: Int = 1) {
        pos = min(pos + count, bytes.count)
    }

    /// Consumes one line break (`\n`, `\r\n` or `\r`) and starts the next line.
    mutating func consumeLineBreak() {
        if peek() == Byte.carriageReturn {
            pos += 1
            if peek() == Byte.newline { pos += 1 }
        } else if peek() == Byte.newline {
            pos += 1
        }
        line += 1
        lineStart = pos
    }

    /// Byte offset of the current position from the start of its line: the indentation for block structure.
    var indent: Int { pos - lineStart }

    /// `---` or `...` at column 1 followed by a blank or the end.
    func atDocumentMarker(_ byte: UInt8) -> Bool {
        indent == 0 && peek() == byte && peek(1) == byte && peek(2) == byte && isBlankOrEnd(3)
    }

    mutating func skipInlineSpace() {
        while let byte = peek(), byte == Byte.space || byte == Byte.tab { pos += 1 }
    }

    /// Skips blanks, comments and line breaks up to the next content byte or the end.
    ///
    /// Refuses a tab in the indentation of a line that has content.
    mutating func skipToNextContent() throws(YAMLError) {
        while !isAtEnd {
            let startsLine = pos == lineStart
            var tabPosition: Int?
            while let byte = peek(), byte == Byte.space || byte == Byte.tab {
                if byte == Byte.tab && tabPosition == nil { tabPosition = pos }
                pos += 1
            }
            guard let byte = peek() else { return }
            if isLineBreak() {
                consumeLineBreak()
                continue
            }
            if byte == Byte.hash && (pos == lineStart || isBlankOrEnd(-1)) {
                skipToLineEnd()
                continue
            }
            if startsLine, let tab = tabPosition {
                pos = tab
                throw error("tab character in indentation; indent with spaces")
            }
            return
        }
    }

    mutating func skipToLineEnd() {
        while !isAtEnd && !isLineBreak() { pos += 1 }
    }

    /// After a scalar or flow value only blanks and a comment may follow on its line.
    mutating func expectLineEnd() throws(YAMLError) {
        skipInlineSpace()
        guard let byte = peek(), !isLineBreak() else { return }
        if byte == Byte.hash && isBlankOrEnd(-1) { return }
        if byte == Byte.colon && isBlankOrEnd(1) {
            throw error(
                "mapping values are not allowed here; check the indentation, or quote a value that contains \": \"")
        }
        throw error("unexpected \(describe(byte)) after a value; only a comment may follow on the same line")
    }

    // MARK: - Positions and errors

    /// The 1-based line and character column of the current position.
    mutating func mark() -> Mark {
        Mark(line: line, column: column(at: pos))
    }

    mutating func column(at target: Int) -> Int {
        var (start, from, column) = columnCache
        if start != lineStart || from > target {
            from = lineStart
            column = 1
        }
        while from < target && from < bytes.count {
            if bytes[from] & 0xC0 != 0x80 { column += 1 }
            from += 1
        }
        columnCache = (lineStart, target, column)
        return column
    }

    mutating func error(_ message: String) -> YAMLError {
        YAMLError(file: file, at: mark(), message)
    }

    func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "\"\(Character(Unicode.Scalar(byte)))\"" }
        return byte == Byte.tab ? "tab" : "byte 0x\(String(byte, radix: 16, uppercase: true))"
    }

    mutating func enterCollection() throws(YAMLError) {
        depth += 1
        if depth > maxDepth {
            throw error("collections are nested more than \(maxDepth) levels deep")
        }
    }
}
