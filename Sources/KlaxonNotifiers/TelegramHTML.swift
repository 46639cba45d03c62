/// Telegram's HTML parse mode: escaping, and rendering a message with the tags Telegram allows.
///
/// Telegram rejects a whole message for one stray `<` or an unknown tag ("can't parse entities"),
/// so every piece of text from labels and annotations goes through `escape`, and only `<b>`,
/// `<code>` and `<a href>` are ever written.
package enum TelegramHTML {
    /// The tags Telegram's HTML mode accepts (https://core.telegram.org/bots/api#html-style).
    package static let allowedTags: Set<String> = [
        "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre",
        "blockquote", "tg-emoji",
    ]

    /// `text` with `<`, `>`, `&` and `"` replaced by the four named entities Telegram knows.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "&": out += "&amp;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The message as Telegram HTML, lines joined with newlines.
    package static func render(_ message: MessageText) -> String {
        message.lines.map(renderLine).joined(separator: "\n")
    }

    /// One line; every tag it opens it closes, so lines can be regrouped freely.
    package static func renderLine(_ spans: [MessageText.Span]) -> String {
        var out = ""
        for span in spans {
            switch span {
            case .text(let text): out += escape(text)
            case .bold(let text): out += "<b>\(escape(text))</b>"
            case .code(let text): out += "<code>\(escape(text))</code>"
            case .link(let text, let url):
                // Telegram refuses links it cannot open; anything but http(s) stays text.
                if url.hasPrefix("https://") || url.hasPrefix("http://") {
                    out += "<a href=\"\(escape(url))\">\(escape(text))</a>"
                } else {
                    out += escape(text)
                }
            }
        }
        return out
    }

    /// The length Telegram checks against its 4 096 limit: UTF-16 code units of the text after
    /// entity parsing (tags count nothing, `&amp;` counts one).
    package static func visibleLength(_ html: String) -> Int {
        var length = 0
        for token in TelegramHTMLToken.tokens(html) { length &+= token.width }
        return length
    }
}

extension TelegramHTML {
    /// Nil when `html` is markup Telegram accepts (allowed tags only, each closed in order, no stray
    /// `<` or `&`), else what is wrong. Checks our own output in tests and the fuzz harness.
    package static func problem(in html: String) -> String? {
        var open: [String] = []
        for token in TelegramHTMLToken.tokens(html) {
            switch token.kind {
            case .open(let name):
                guard allowedTags.contains(name) else { return "tag <\(name)> is not one Telegram allows" }
                open.append(name)
            case .close(let name):
                guard open.last == name else { return "</\(name)> closes \(open.last.map { "<\($0)>" } ?? "nothing")" }
                open.removeLast()
            case .text:
                if token.raw == "<" || token.raw == ">" || token.raw == "&" { return "unescaped \(token.raw)" }
            }
        }
        return open.last.map { "<\($0)> is never closed" }
    }
}
