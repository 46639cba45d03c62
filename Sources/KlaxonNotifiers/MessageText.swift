/// A message in a form every channel can render: lines of styled spans, no markup yet.
///
/// The default messages are built in Swift (`DefaultMessages`); per-receiver templates will produce
/// the same value, so Telegram HTML, Slack mrkdwn and the log line never know where the text came from.
/// A span never holds a newline: `MessageText` splits text on newlines when it is built, so a
/// channel that has to split a long message can always do it on a line boundary.
package struct MessageText: Sendable, Equatable {
    /// One styled piece of a line.
    package enum Span: Sendable, Equatable {
        case text(String)
        case bold(String)
        case code(String)
        /// A link; `url` is shown only by channels that render links.
        case link(text: String, url: String)

        /// The visible text.
        package var text: String {
            switch self {
            case .text(let text), .bold(let text), .code(let text): text
            case .link(let text, _): text
            }
        }

        /// The same style with other text.
        func with(text: String) -> Span {
            switch self {
            case .text: .text(text)
            case .bold: .bold(text)
            case .code: .code(text)
            case .link(_, let url): .link(text: text, url: url)
            }
        }
    }

    /// The lines, each a list of spans (an empty list is a blank line).
    package private(set) var lines: [[Span]] = []

    package init() {}

    /// A message from lines; newlines inside spans start new lines.
    package init(lines: [[Span]]) {
        for line in lines { append(line) }
    }

    /// Appends one line; a newline inside a span continues on a new line with the same style.
    package mutating func append(_ spans: [Span]) {
        var current: [Span] = []
        for span in spans {
            let pieces = span.text.split(separator: "\n", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index > 0 {
                    lines.append(current)
                    current = []
                }
                if !piece.isEmpty { current.append(span.with(text: String(piece.replacing("\r", with: "")))) }
            }
        }
        lines.append(current)
    }

    /// Appends a blank line (never two in a row, never first).
    package mutating func appendBlankLine() {
        guard let last = lines.last, !last.isEmpty else { return }
        lines.append([])
    }

    /// The message as plain text, one line per line, styles dropped and link targets in brackets.
    package var plainText: String {
        lines.map { line in
            line.map { span in
                if case .link(let text, let url) = span, text != url { return "\(text) (\(url))" }
                return span.text
            }.joined()
        }.joined(separator: "\n")
    }
}
