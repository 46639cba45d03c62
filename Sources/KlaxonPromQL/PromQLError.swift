import KlaxonMetrics

/// An error parsing or evaluating a PromQL expression, with the position it refers to when there is one.
package struct PromQLError: Error, CustomStringConvertible, Equatable, Sendable {
    /// 1-based line of the offending token, or nil for evaluation errors.
    package var line: Int?
    /// 1-based column (in characters) of the offending token, or nil for evaluation errors.
    package var column: Int?
    /// What went wrong, as a sentence.
    package var message: String
    /// Set when the query was stopped by its deadline or sample cap rather than failing on its own.
    package var limit: QueryLimitError?

    /// An error at a position in the query text.
    package init(line: Int, column: Int, _ message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// An error with no position, raised while evaluating.
    package init(_ message: String) {
        self.line = nil
        self.column = nil
        self.message = message
    }

    /// The query was stopped by its budget; the message is Prometheus's own.
    package init(_ limit: QueryLimitError) {
        self.line = nil
        self.column = nil
        self.message = limit.description
        self.limit = limit
    }

    /// As Prometheus 2.42 prints a `ParseErr`: `line:column: parse error: message`; evaluation errors bare.
    package var description: String {
        guard let line, let column else { return message }
        return "\(line):\(column): parse error: \(message)"
    }

    /// Builds an error at the UTF-8 offset `offset` of `text`. The column counts bytes from the line's start,
    /// 1-based, as Prometheus counts them (a multi-byte character before the error moves it by its bytes).
    static func at(_ offset: Int, in text: [UInt8], _ message: String) -> PromQLError {
        var line = 1
        var column = 1
        var index = 0
        let end = min(offset, text.count)
        while index < end {
            if text[index] == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else {
                column += 1
            }
            index += 1
        }
        return PromQLError(line: line, column: column, message)
    }
}
