/// A message as the HTML part of an email: one `<div>` per line, bold and code kept, links as
/// links when they are http(s). Every piece of text is escaped, so labels and annotations can never
/// inject markup.
package enum EmailHTML {
    /// A whole HTML document for `message`, titled `title`.
    package static func render(_ message: MessageText, title: String) -> String {
        var html = "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>\(escape(title))</title>\n"
        html += "</head>\n<body style=\"font-family: sans-serif; font-size: 14px;\">\n"
        for line in message.lines {
            guard !line.isEmpty else {
                html += "<br>\n"
                continue
            }
            html += "<div>"
            for span in line {
                switch span {
                case .text(let text): html += escape(text)
                case .bold(let text): html += "<b>\(escape(text))</b>"
                case .code(let text): html += "<code>\(escape(text))</code>"
                case .link(let text, let url):
                    let lower = url.lowercased()
                    if lower.hasPrefix("https://") || lower.hasPrefix("http://") {
                        html += "<a href=\"\(escape(url))\">\(escape(text))</a>"
                    } else {
                        html += escape(text == url ? text : "\(text) (\(url))")
                    }
                }
            }
            html += "</div>\n"
        }
        return html + "</body>\n</html>\n"
    }

    /// `&`, `<`, `>`, `"` and `'` as entities.
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
