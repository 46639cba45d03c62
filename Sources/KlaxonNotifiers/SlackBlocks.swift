import KlaxonRuntime

/// A message as a Slack incoming-webhook payload: Block Kit sections of `mrkdwn` text.
///
/// Slack refuses a section whose text is over 3 000 characters and a message of more than 50
/// blocks. Sections follow the message's paragraphs (blank lines); a paragraph too long for one
/// section continues in the next, cut between lines, and a single over-long line between
/// characters (never inside an escape or a `<link|text>`). Blocks beyond the limit are replaced by
/// one that says how many were left out.
package enum SlackBlocks {
    /// Slack's limit on a section's text.
    package static let sectionLimit = 3000
    /// Slack's limit on blocks per message.
    package static let blockLimit = 50

    /// `text` with the three characters Slack's mrkdwn needs escaped: `&`, `<`, `>`.
    package static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// One line as mrkdwn.
    package static func renderLine(_ spans: [MessageText.Span]) -> String {
        spans.map { span in
            switch span {
            case .text(let text): escape(text)
            case .bold(let text): text.isEmpty ? "" : "*\(escape(text))*"
            case .code(let text): text.isEmpty ? "" : "`\(escape(text))`"
            case .link(let text, let url):
                url.hasPrefix("https://") || url.hasPrefix("http://")
                    ? "<\(escape(url))|\(escape(text))>" : escape(text)
            }
        }.joined()
    }

    /// The section texts for `message`, each within `sectionLimit`, at most `blockLimit` of them.
    package static func sections(_ message: MessageText, sectionLimit: Int = sectionLimit, blockLimit: Int = blockLimit)
        -> [String]
    {
        var paragraphs: [[String]] = [[]]
        for line in message.lines {
            if line.isEmpty {
                if paragraphs[paragraphs.count - 1].isEmpty == false { paragraphs.append([]) }
            } else {
                paragraphs[paragraphs.count - 1].append(renderLine(line))
            }
        }
        var sections: [String] = []
        for paragraph in paragraphs where !paragraph.isEmpty {
            sections += pack(paragraph, limit: max(1, sectionLimit))
        }
        let maxBlocks = max(1, blockLimit)
        if sections.count > maxBlocks {
            let left = sections.count - (maxBlocks - 1)
            sections = Array(sections.prefix(maxBlocks - 1))
            let noun = left == 1 ? "section" : "sections"
            sections.append("… \(left) more \(noun) not shown; the audit trail has every alert.")
        }
        return sections
    }

    /// The webhook JSON: `text` (the first line, for notifications) and the `blocks`.
    package static func payload(_ message: MessageText) -> String {
        let fallback = message.lines.first.map { $0.map(\.text).joined() } ?? ""
        let blocks = sections(message).map { text in
            "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":\(JSONString.quoted(text))}}"
        }
        let short = String(fallback.prefix(sectionLimit))
        return "{\"text\":\(JSONString.quoted(short)),\"blocks\":[\(blocks.joined(separator: ","))]}"
    }

    /// Lines packed into texts of at most `limit` UTF-16 units (Slack counts no more than that).
    private static func pack(_ lines: [String], limit: Int) -> [String] {
        var out: [String] = []
        var current = ""
        for line in lines {
            let width = line.utf16.count
            if current.isEmpty, width <= limit {
                current = line
            } else if !current.isEmpty, current.utf16.count &+ 1 &+ width <= limit {
                current += "\n" + line
            } else {
                if !current.isEmpty { out.append(current) }
                current = ""
                let pieces = cut(line, limit: limit)
                out += pieces.dropLast()
                current = pieces.last ?? ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// A line cut into pieces of at most `limit` units, never inside `&amp;` or `<…>`.
    private static func cut(_ line: String, limit: Int) -> [String] {
        var pieces: [String] = []
        var current = ""
        var width = 0
        var index = line.startIndex
        while index < line.endIndex {
            var end = line.index(after: index)
            let character = line[index]
            if character == "<", let close = line[index...].prefix(4096).firstIndex(of: ">") {
                end = line.index(after: close)
            } else if character == "&", let semicolon = line[index...].prefix(6).firstIndex(of: ";") {
                end = line.index(after: semicolon)
            }
            let unit = line[index..<end]
            let unitWidth = unit.utf16.count
            if width > 0, width &+ unitWidth > limit {
                pieces.append(current)
                current = ""
                width = 0
            }
            current += unit
            width &+= unitWidth
            index = end
        }
        pieces.append(current)
        return pieces
    }
}
