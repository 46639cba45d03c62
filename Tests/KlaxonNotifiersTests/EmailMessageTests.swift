import KlaxonConfig
import KlaxonNotifiers
import KlaxonRouting
import Testing

/// Reads messages the way a mail client does, to check what `EmailMessage` writes.
enum MailReader {
    /// Header name → unfolded value, and the body, split at the first blank line.
    static func split(_ message: String) -> (headers: [(String, String)], body: String) {
        let parts = message.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        var headers: [(String, String)] = []
        for line in head.components(separatedBy: "\r\n") {
            if line.hasPrefix(" "), let last = headers.popLast() {
                headers.append((last.0, last.1 + line))
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...].dropFirst())))
            }
        }
        return (headers, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// Undoes quoted-printable: soft breaks removed, `=XX` decoded, CRLF kept.
    static func quotedPrintable(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.replacing("=\r\n", with: "").utf8)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "="), index + 2 < input.count,
                let value = UInt8(String(decoding: input[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 3
            } else {
                bytes.append(input[index])
                index += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The decoded body of the MIME part with this content type.
    static func part(_ body: String, type: String) -> String? {
        for section in body.components(separatedBy: "\r\n--") {
            // The section's first line is the rest of its boundary.
            guard let lineEnd = section.range(of: "\r\n") else { continue }
            let (headers, content) = split(String(section[lineEnd.upperBound...]))
            if headers.contains(where: { $0.0 == "Content-Type" && $0.1.hasPrefix(type) }) {
                return quotedPrintable(content)
            }
        }
        return nil
    }
}

@Suite struct EmailMessageTests {
    let from = EmailAddress(name: "Klaxon", address: "klaxon@example.com")
    let to = [EmailAddress(address: "oncall@example.com"), EmailAddress(name: "Ops Team", address: "ops@example.com")]

    private func render(_ notification: Notification, html: Bool = true) -> String {
        let message = DefaultMessages().message(for: notification, now: Fixtures.t0 + 60_000)
        return String(
            decoding: EmailMessage(from: from, to: to, html: html).render(notification, message: message), as: UTF8.self
        )
    }

    @Test func headersCarryTheIdThreadAndSubject() {
        let notification = Fixtures.notification([Fixtures.alert()], id: "0123456789abcdef")
        let (headers, _) = MailReader.split(render(notification))
        let thread = EmailMessage.threadID(groupKey: notification.groupKey, domain: "example.com")
        #expect(
            headers.map(\.0) == [
                "Date", "From", "To", "Subject", "Message-Id", "In-Reply-To", "References", "X-Klaxon-Notification-Id",
                "X-Klaxon-Severity", "Auto-Submitted", "MIME-Version", "Content-Type",
            ])
        let value = Dictionary(headers, uniquingKeysWith: { first, _ in first })
        #expect(value["Date"] == "Thu, 01 Jan 2026 00:00:00 +0000")
        #expect(value["From"] == "Klaxon <klaxon@example.com>")
        #expect(value["To"] == "oncall@example.com, Ops Team <ops@example.com>")
        #expect(value["Subject"] == "=?UTF-8?B?\(Base64.encode(Array("🚨 P0 FIRING: ExchangeFrozen".utf8)))?=")
        #expect(value["Message-Id"] == "<klaxon.0123456789abcdef@example.com>")
        #expect(value["In-Reply-To"] == thread)
        #expect(value["References"] == thread)
        #expect(value["X-Klaxon-Notification-Id"] == "0123456789abcdef")
        #expect(value["Content-Type"] == "multipart/alternative; boundary=\"=_klaxon_0123456789abcdef\"")
    }

    @Test func aGroupsMessagesShareOneThreadAndOthersDoNot() {
        let first = EmailMessage.threadID(groupKey: "{}:{alertname=\"A\"}", domain: "example.com")
        #expect(first == EmailMessage.threadID(groupKey: "{}:{alertname=\"A\"}", domain: "example.com"))
        #expect(first != EmailMessage.threadID(groupKey: "{}:{alertname=\"B\"}", domain: "example.com"))
        #expect(first.hasPrefix("<klaxon.group.") && first.hasSuffix("@example.com>"))
    }

    @Test func bothPartsHoldTheMessageAndTheHTMLIsEscaped() throws {
        let alert = Fixtures.alert(
            labels: ["venue": "<b>binance</b>"],
            annotations: [
                "summary": "Book \"frozen\" & stale", "runbook_url": "https://runbooks.example/frozen?a=1&b=2",
            ])
        let notification = Fixtures.notification([alert])
        let (_, body) = MailReader.split(render(notification))
        let text = try #require(MailReader.part(body, type: "text/plain"))
        let expected = DefaultMessages().message(for: notification, now: Fixtures.t0 + 60_000).plainText
        #expect(text == expected.replacing("\n", with: "\r\n") + "\r\n")
        let html = try #require(MailReader.part(body, type: "text/html"))
        #expect(html.contains("<b>Summary: </b>Book &quot;frozen&quot; &amp; stale"))
        #expect(html.contains("<code>venue=&lt;b&gt;binance&lt;/b&gt;</code>"))
        #expect(html.contains("<a href=\"https://runbooks.example/frozen?a=1&amp;b=2\">"))
        #expect(!html.contains("<b>binance"))
    }

    @Test func everyLineIsCRLFTerminatedAndShort() {
        let long = String(repeating: "väry lóng dèscription ", count: 200)
        let notification = Fixtures.notification([Fixtures.alert(annotations: ["description": long, "title": long])])
        let message = render(notification)
        #expect(!message.replacing("\r\n", with: "").contains("\n"))
        #expect(!message.replacing("\r\n", with: "").contains("\r"))
        for line in message.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 78, "line too long: \(line.prefix(40))")
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "8-bit line: \(line.prefix(40))")
        }
    }

    @Test func withoutHTMLTheMessageIsOnePlainPart() {
        let (headers, body) = MailReader.split(render(Fixtures.notification([Fixtures.alert()]), html: false))
        let value = Dictionary(headers, uniquingKeysWith: { first, _ in first })
        #expect(value["Content-Type"] == "text/plain; charset=utf-8")
        #expect(value["Content-Transfer-Encoding"] == "quoted-printable")
        #expect(MailReader.quotedPrintable(body).hasPrefix("🚨 P0 FIRING: ExchangeFrozen\r\nSummary: Order book frozen"))
    }

    @Test(arguments: [
        ("plain ascii", "plain ascii"),
        ("a=b", "a=3Db"),
        ("trailing space ", "trailing space=20"),
        ("é", "=C3=A9"),
        ("line\nnext", "line\r\nnext"),
    ])
    func quotedPrintableEncodesWhatIsNotPlainASCII(_ input: String, _ expected: String) {
        #expect(EmailEncoding.quotedPrintable(input) == expected)
    }

    @Test func quotedPrintableBreaksLongLinesSoftly() {
        let input = String(repeating: "abcdefghij", count: 20) + "=é"
        let encoded = EmailEncoding.quotedPrintable(input)
        #expect(encoded.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 76 })
        #expect(MailReader.quotedPrintable(encoded) == input)
    }

    @Test func encodedWordsNeverSplitACharacter() {
        let subject = String(repeating: "🚨é", count: 40)
        let words = EmailEncoding.headerText(subject).components(separatedBy: "\r\n ")
        #expect(words.count > 1)
        var decoded: [UInt8] = []
        for word in words {
            #expect(word.count <= 75)
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="))
            let base64 = String(word.dropFirst(10).dropLast(2))
            let bytes = Base64Decoding.decode(base64) ?? []
            #expect(String(validating: bytes, as: UTF8.self) != nil)
            decoded += bytes
        }
        #expect(String(decoding: decoded, as: UTF8.self) == subject)
    }

    @Test func base64MatchesTheRFCVectors() {
        #expect(
            ["", "f", "fo", "foo", "foob", "fooba", "foobar"].map { Base64.encode(Array($0.utf8)) } == [
                "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy",
            ])
    }
}

/// Decodes base64 for the tests (Foundation's decoder, kept out of the product's path).
enum Base64Decoding {
    static func decode(_ text: String) -> [UInt8]? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var bits: UInt32 = 0
        var count = 0
        var out: [UInt8] = []
        for byte in text.utf8 where byte != UInt8(ascii: "=") {
            guard let index = alphabet.firstIndex(of: byte) else { return nil }
            bits = bits << 6 | UInt32(index)
            count += 6
            if count >= 8 {
                count -= 8
                out.append(UInt8(truncatingIfNeeded: bits >> UInt32(count)))
            }
        }
        return out
    }
}
