/// A piece of Telegram HTML: a tag, an entity, or one character of text.
///
/// The tokenizer accepts any input (it is fuzzed): a `<` that opens no well-formed tag and an
/// `&` that starts no entity are text, as a lenient reader would take them.
struct TelegramHTMLToken: Equatable {
    enum Kind: Equatable {
        /// `<name …>`; `raw` is the whole tag.
        case open(name: String)
        /// `</name>`.
        case close(name: String)
        /// A character or an entity.
        case text
    }

    var kind: Kind
    /// The token as written.
    var raw: Substring
    /// UTF-16 code units it counts for after entity parsing (0 for tags).
    var width: Int

    /// Splits `html` into tokens; concatenating their `raw` gives `html` back.
    ///
    /// Markup is found scalar by scalar: a combining mark after `>` or `;` joins it into one
    /// Character, and must not hide the tag or entity (found by Fuzz/telegramresponse). Text is
    /// one grapheme a token, cut short where markup starts.
    static func tokens(_ html: String) -> [TelegramHTMLToken] {
        var tokens: [TelegramHTMLToken] = []
        let scalars = html.unicodeScalars
        var index = scalars.startIndex
        while index < scalars.endIndex {
            let scalar = scalars[index]
            if scalar == "<", let tag = tag(in: scalars, at: index) {
                tokens.append(tag)
                index = tag.raw.endIndex
            } else if scalar == "&", let entity = entity(in: scalars, at: index) {
                tokens.append(entity)
                index = entity.raw.endIndex
            } else {
                let rest = Substring(scalars[index...])
                var end = rest.index(after: rest.startIndex)
                let inside = scalars[scalars.index(after: index)..<end]
                if let markup = inside.firstIndex(where: { $0 == "<" || $0 == "&" }) { end = markup }
                let raw = Substring(scalars[index..<end])
                tokens.append(TelegramHTMLToken(kind: .text, raw: raw, width: raw.utf16.count))
                index = end
            }
        }
        return tokens
    }

    private static func tag(in scalars: String.UnicodeScalarView, at start: String.Index) -> TelegramHTMLToken? {
        // Tags are short; bounding the search keeps a run of stray "<" linear.
        guard let end = scalars[start...].prefix(4096).firstIndex(of: ">") else { return nil }
        let raw = Substring(scalars[start...end])
        var inner = raw.unicodeScalars.dropFirst().dropLast()
        let closing = inner.first == "/"
        if closing { inner = inner.dropFirst() }
        let name = inner.prefix { $0.properties.isAlphabetic || $0 == "-" }
        guard !name.isEmpty, !inner.contains("<") else { return nil }
        let lowered = String(String.UnicodeScalarView(name)).lowercased()
        return TelegramHTMLToken(kind: closing ? .close(name: lowered) : .open(name: lowered), raw: raw, width: 0)
    }

    private static func entity(in scalars: String.UnicodeScalarView, at start: String.Index) -> TelegramHTMLToken? {
        let body = scalars[scalars.index(after: start)...].prefix(12)
        guard let semicolon = body.firstIndex(of: ";") else { return nil }
        let name = String(String.UnicodeScalarView(body[..<semicolon]))
        let raw = Substring(scalars[start...semicolon])
        switch name {
        case "lt", "gt", "amp", "quot": return TelegramHTMLToken(kind: .text, raw: raw, width: 1)
        default: break
        }
        guard name.first == "#" else { return nil }
        let digits = name.dropFirst()
        let value: UInt32?
        if digits.first == "x" || digits.first == "X" {
            let hex = digits.dropFirst()
            value = hex.allSatisfy(\.isHexDigit) ? UInt32(hex, radix: 16) : nil
        } else {
            value = digits.allSatisfy { $0.isASCII && $0.isNumber } ? UInt32(digits, radix: 10) : nil
        }
        guard let value, let scalar = Unicode.Scalar(value) else { return nil }
        return TelegramHTMLToken(kind: .text, raw: raw, width: scalar.utf16.count)
    }
}
