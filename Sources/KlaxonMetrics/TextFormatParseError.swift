/// Why an exposition body (text format 0.0.4 or OpenMetrics) was refused, and where.
///
/// `line` and `column` are 1-based; the column counts Unicode scalars from the start of the line,
/// so it matches what an editor shows for the offending line.
package struct TextFormatParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based line of the offending input.
    package var line: Int
    /// 1-based column (Unicode scalars) of the offending input.
    package var column: Int
    /// What was wrong and what is allowed, as one sentence without position.
    package var message: String

    /// Makes an error at a known position.
    package init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line 3, column 12: invalid escape sequence "\q" in label value`
    package var description: String { "line \(line), column \(column): \(message)" }

    /// Locates byte `offset` of `bytes` as a line and column, counting only up to `offset`.
    static func at(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>, _ message: String) -> TextFormatParseError {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        var index = 0
        while index < end {
            if bytes[index] == UInt8(ascii: "\n") {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        var column = 1
        index = lineStart
        while index < end {
            // Continuation bytes (10xxxxxx) do not start a new scalar.
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return TextFormatParseError(line: line, column: column, message: message)
    }

    /// The error for a body larger than the caller allows, positioned at the first byte past the limit.
    static func tooLarge(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int) -> TextFormatParseError {
        at(limit, in: bytes, "the body is \(bytes.count) bytes, more than the limit of \(limit) bytes")
    }
}
