import KlaxonRuntime

/// The encodings an email needs to travel as 7-bit lines of at most 998 octets: quoted-printable
/// bodies (RFC 2045 §6.7), encoded-word headers (RFC 2047) and the RFC 5322 date.
package enum EmailEncoding {
    /// `text` (lines separated by LF or CRLF) as quoted-printable lines joined by CRLF, each at most
    /// 76 characters: `=`, controls and non-ASCII bytes as `=XX`, a space or tab before a line end
    /// encoded, long lines broken with soft breaks (`=` at the end).
    package static func quotedPrintable(_ text: String) -> String {
        var out: [UInt8] = []
        let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (number, line) in lines.enumerated() {
            if number > 0 { out += [13, 10] }
            var bytes = Array(line)
            if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
            var column = 0
            for (index, byte) in bytes.enumerated() {
                let last = index == bytes.count - 1
                let literal =
                    (33...126).contains(byte) && byte != UInt8(ascii: "=")
                    || (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && !last
                let token: [UInt8] = literal ? [byte] : [UInt8(ascii: "="), hex(byte >> 4), hex(byte & 15)]
                // 75 leaves room for the soft break's `=`; the last token of a line may use the 76th column.
                if column + token.count > (last ? 76 : 75) {
                    out += [UInt8(ascii: "="), 13, 10]
                    column = 0
                }
                out += token
                column += token.count
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A header value: as it is when printable ASCII, else RFC 2047 encoded words (`=?UTF-8?B?…?=`),
    /// each 60 characters at most (so a line with `Subject: ` stays under 78), folded onto
    /// continuation lines, never splitting a character.
    package static func headerText(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) }), text.utf8.count <= 900 {
            return text
        }
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            // Control characters (a stray CR or LF) have no business in a header: they become spaces.
            let bytes =
                character.unicodeScalars.allSatisfy({ $0.value < 0x20 || $0.value == 0x7F })
                ? [UInt8(ascii: " ")] : Array(character.utf8)
            // 36 bytes are 48 base64 characters: with `=?UTF-8?B?` and `?=`, 60 per word.
            if chunk.count + bytes.count > 36, !chunk.isEmpty {
                words.append("=?UTF-8?B?\(Base64.encode(chunk))?=")
                chunk = []
            }
            chunk += bytes.prefix(36)
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?\(Base64.encode(chunk))?=") }
        return words.joined(separator: "\r\n ")
    }

    /// `Thu, 01 Jan 2026 00:00:00 +0000` (RFC 5322 §3.3, always UTC).
    package static func date(unixMilliseconds: Int64) -> String {
        let civil = CivilTime(unixMilliseconds: MessageFormat.printable(unixMilliseconds))
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = days[min(max(civil.weekday, 0), 6)]
        let month = months[min(max(civil.month - 1, 0), 11)]
        return "\(weekday), \(CivilTime.padded(civil.day, 2)) \(month) \(CivilTime.padded(civil.year, 4)) "
            + "\(CivilTime.padded(civil.hour, 2)):\(CivilTime.padded(civil.minute, 2)):"
            + "\(CivilTime.padded(civil.second, 2)) +0000"
    }

    /// A mailbox for `From`/`To`: `Name <addr>` with the name quoted or encoded as needed.
    package static func mailbox(name: String, address: String) -> String {
        guard !name.isEmpty else { return address }
        let plain = name.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }
        guard plain else { return "\(headerText(name)) <\(address)>" }
        let atoms = name.allSatisfy { $0.isLetter || $0.isNumber || " !#$%&'*+-/=?^_`{|}~".contains($0) }
        return atoms ? "\(name) <\(address)>" : "\"\(name)\" <\(address)>"
    }

    private static func hex(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "A") + nibble - 10
    }
}
