/// Splits Telegram HTML longer than Telegram's limit into numbered parts that each fit.
///
/// Telegram counts a message's length after entity parsing, in UTF-16 code units, and refuses
/// one over 4 096 (Alertmanager cuts the text and Telegram then rejects the broken markup). Parts
/// are cut on line boundaries; a single line too long for a part is cut between characters,
/// never inside a tag, an entity or a grapheme, with the tags open at the cut closed before it and
/// opened again after it. Each part starts with "(k/n) ".
package struct TelegramMessageSplitter: Sendable {
    /// Telegram's limit on a message's text.
    package static let telegramLimit = 4096

    /// The most a part may count, prefix included.
    package var limit: Int

    package init(limit: Int = TelegramMessageSplitter.telegramLimit) {
        self.limit = limit
    }

    /// `html` as one part when it fits, else as numbered parts, each within `limit`.
    package func split(_ html: String) -> [String] {
        // Tokenize first: a newline inside a tag is part of the tag, not a line break.
        var lines: [[TelegramHTMLToken]] = [[]]
        for token in TelegramHTMLToken.tokens(html) {
            if token.kind == .text, token.raw == "\n" {
                lines.append([])
            } else {
                lines[lines.count - 1].append(token)
            }
        }
        var total = max(0, lines.count - 1)
        for line in lines { total &+= Self.width(line) }
        guard total > limit else { return [html] }
        // The prefix's width depends on the number of parts; guess, pack, and repack when the guess
        // had too few digits (at most a few rounds: each round only widens the prefix).
        var digits = 1
        while true {
            let prefixWidth = 2 * digits + 4
            let parts = pack(lines, budget: max(1, limit - prefixWidth))
            let count = String(parts.count).count
            if count <= digits || digits >= 19 {
                return parts.enumerated().map { "(\($0.offset + 1)/\(parts.count)) " + $0.element }
            }
            digits = count
        }
    }

    /// Lines grouped into parts of at most `budget` visible units each. Tags open at a part's end
    /// (a tag spanning lines, or a line cut in the middle) are closed there and opened again in
    /// the next part.
    private func pack(_ lines: [[TelegramHTMLToken]], budget: Int) -> [String] {
        var parts: [String] = []
        var html = ""
        var width = 0
        var hasLine = false
        var open: [(name: String, raw: Substring)] = []
        func flush() {
            for tag in open.reversed() { html += "</\(tag.name)>" }
            parts.append(html)
            html = open.map { String($0.raw) }.joined()
            width = 0
            hasLine = false
        }
        for line in lines {
            let lineWidth = Self.width(line)
            // A line that fits a part of its own starts a new part rather than being cut; a longer
            // one fills up the current part first (unless not even its newline fits).
            if hasLine, width &+ 1 &+ lineWidth > budget, lineWidth <= budget || width &+ 2 > budget { flush() }
            if hasLine {
                html += "\n"
                width &+= 1
            }
            hasLine = true
            for token in line {
                switch token.kind {
                case .open(let name):
                    open.append((name, token.raw))
                case .close(let name):
                    if let index = open.lastIndex(where: { $0.name == name }) { open.remove(at: index) }
                case .text:
                    // A part always takes at least one character, so a budget below one grapheme's
                    // width still makes progress.
                    if width > 0, width &+ token.width > budget {
                        flush()
                        hasLine = true
                    }
                    width &+= token.width
                }
                html += token.raw
            }
        }
        if hasLine { flush() }
        return parts
    }

    private static func width(_ tokens: [TelegramHTMLToken]) -> Int {
        var width = 0
        for token in tokens { width &+= token.width }
        return width
    }
}
