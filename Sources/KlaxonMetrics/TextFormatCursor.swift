/// A position in an exposition body, one line at a time, with the byte-level readers both parsers share.
///
/// Works on the caller's buffer without copying; strings are made only for names, label values
/// and help text, and repeated ones (the same metric or label name line after line) are reused.
struct TextFormatCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Next byte to read.
    var position = 0
    /// First byte of the current line.
    var lineStart = 0
    /// Index of the current line's `\n`, or `bytes.count` on an unterminated last line.
    var lineEnd = 0
    /// Strings recently made, by slot, for reuse when the same bytes come again.
    private var recent: [(start: Int, count: Int, string: String)] = []
    /// Scratch space for decoding escaped strings.
    private var scratch: [UInt8] = []

    /// How backslash escapes other than `\\`, `\"` and `\n` are treated.
    enum Escapes {
        /// Any other escape is an error (text format label values and quoted names).
        case strict
        /// Any other escape is kept as written (OpenMetrics, and help text in both formats).
        case lenient
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        recent = Array(repeating: (0, -1, ""), count: 64)
        scratch.reserveCapacity(256)
    }

    // MARK: - Lines

    /// Whether the current line ends with a `\n` (only the last line of a body may not).
    var lineHasNewline: Bool { lineEnd < bytes.count }
    var atLineEnd: Bool { position >= lineEnd }
    /// The byte at `position`; `\n` at the end of the line.
    var current: UInt8 { position < lineEnd ? bytes[position] : UInt8(ascii: "\n") }

    /// Moves to the line starting at `start`; false when the body is over.
    mutating func beginLine(at start: Int) -> Bool {
        guard start < bytes.count else { return false }
        lineStart = start
        position = start
        var end = start
        while end < bytes.count && bytes[end] != UInt8(ascii: "\n") { end += 1 }
        lineEnd = end
        return true
    }

    mutating func skipBlanks() {
        while position < lineEnd && (bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t")) {
            position += 1
        }
    }

    /// Advances over `byte` when it is next; false otherwise.
    mutating func consume(_ byte: UInt8) -> Bool {
        guard position < lineEnd, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    /// Advances to the next space, tab or line end; returns where the token started.
    mutating func readToken() -> Int {
        let start = position
        while position < lineEnd && bytes[position] != UInt8(ascii: " ") && bytes[position] != UInt8(ascii: "\t") {
            position += 1
        }
        return start
    }

    func error(_ message: String, at offset: Int? = nil) -> TextFormatParseError {
        TextFormatParseError.at(offset ?? position, in: bytes, message)
    }

    // MARK: - Names

    /// Reads `[a-zA-Z_:][a-zA-Z0-9_:]*` (colon only when allowed); returns the start, empty when none.
    mutating func readLegacyName(allowColon: Bool) -> Int {
        let start = position
        while position < lineEnd {
            let byte = bytes[position]
            let letter =
                (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte == UInt8(ascii: "_")
                || (allowColon && byte == UInt8(ascii: ":"))
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            guard letter || (digit && position > start) else { break }
            position += 1
        }
        return start
    }

    /// The ASCII or UTF-8 text of `bytes[start..<end]`, reusing the string last made in `slot` when equal.
    mutating func string(_ start: Int, _ end: Int, slot: Int) -> String? {
        let count = end - start
        let slot = slot & 63
        let previous = recent[slot]
        if previous.count == count && equalBytes(previous.start, start, count) { return previous.string }
        var ascii = true
        for index in start..<end where bytes[index] >= 0x80 {
            ascii = false
            break
        }
        let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
        let made: String
        if ascii {
            made = String(decoding: slice, as: UTF8.self)
        } else {
            guard let valid = String(validating: slice, as: UTF8.self) else { return nil }
            made = valid
        }
        recent[slot] = (start, count, made)
        return made
    }

    private func equalBytes(_ first: Int, _ second: Int, _ count: Int) -> Bool {
        if first == second { return true }
        var offset = 0
        while offset < count {
            if bytes[first + offset] != bytes[second + offset] { return false }
            offset += 1
        }
        return true
    }

    // MARK: - Quoted strings

    /// Reads a `"…"` string starting at the opening quote and returns its decoded text.
    ///
    /// `what` names the string in errors ("label value", "metric name"). A raw line break inside
    /// is an error, as is invalid UTF-8.
    mutating func readQuoted(_ what: String, escapes: Escapes, slot: Int) throws(TextFormatParseError) -> String {
        guard consume(UInt8(ascii: "\"")) else { throw error("expected '\"' at the start of the \(what)") }
        let start = position
        var escaped = false
        while position < lineEnd {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") {
                escaped = true
                position += 1
                guard position < lineEnd else { break }
                let next = bytes[position]
                if escapes == .strict && next != UInt8(ascii: "\\") && next != UInt8(ascii: "\"")
                    && next != UInt8(ascii: "n")
                {
                    let shown = String(
                        decoding: UnsafeBufferPointer(rebasing: bytes[position..<position + 1]), as: UTF8.self)
                    throw error(
                        "invalid escape sequence \"\\\(shown)\" in \(what); only \\\\, \\\" and \\n are allowed",
                        at: position - 1)
                }
            }
            position += 1
        }
        guard position < lineEnd else {
            let partial = String(
                decoding: UnsafeBufferPointer(rebasing: bytes[start..<min(position, lineEnd)]), as: UTF8.self)
            if lineHasNewline {
                throw error("\(what) \"\(partial)\" contains an unescaped new-line; write it as \\n", at: lineEnd)
            }
            throw error("unexpected end of input inside the \(what) \"\(partial)\"", at: lineEnd)
        }
        let end = position
        position += 1
        let decoded = escaped ? unescape(start, end) : string(start, end, slot: slot)
        guard let decoded else { throw error("the \(what) is not valid UTF-8", at: start) }
        return decoded
    }

    /// Decodes `\\`, `\"` and `\n`; any other escape is kept as written.
    mutating func unescape(_ start: Int, _ end: Int) -> String? {
        scratch.removeAll(keepingCapacity: true)
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\"), index + 1 < end {
                let next = bytes[index + 1]
                switch next {
                case UInt8(ascii: "\\"), UInt8(ascii: "\""): scratch.append(next)
                case UInt8(ascii: "n"): scratch.append(UInt8(ascii: "\n"))
                default: scratch.append(contentsOf: [byte, next])
                }
                index += 2
            } else {
                scratch.append(byte)
                index += 1
            }
        }
        return String(validating: scratch, as: UTF8.self)
    }

    // MARK: - Help text

    /// Reads the rest of the line as help text: `\\`, `\"` and `\n` are decoded; any other escape is an
    /// error under `.strict` (expfmt) and kept as written under `.lenient` (OpenMetrics).
    mutating func readHelp(escapes: Escapes) throws(TextFormatParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        while position < lineEnd {
            let byte = bytes[position]
            guard byte == UInt8(ascii: "\\") else {
                scratch.append(byte)
                position += 1
                continue
            }
            let next = position + 1 < lineEnd ? bytes[position + 1] : UInt8(ascii: "\n")
            switch next {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""): scratch.append(next)
            case UInt8(ascii: "n"): scratch.append(UInt8(ascii: "\n"))
            default:
                guard escapes == .lenient else {
                    let shown = next == UInt8(ascii: "\n") ? "" : String(decoding: [next], as: UTF8.self)
                    throw error(
                        "invalid escape sequence \"\\\(shown)\" in help text; only \\\\, \\\" and \\n are allowed")
                }
                scratch.append(byte)
                if position + 1 < lineEnd { scratch.append(next) }
            }
            position += 2
        }
        position = lineEnd
        guard let text = String(validating: scratch, as: UTF8.self) else {
            throw error("the help text is not valid UTF-8")
        }
        return text
    }
}
