import KlaxonConfig
import KlaxonRouting

/// A notification as an RFC 5322 message: headers, then a plain-text part and (optionally) an
/// HTML part in `multipart/alternative`, both quoted-printable UTF-8, CRLF line endings, no line
/// over 998 octets.
///
/// `Message-Id` is built from the notification id (the idempotency key, also in
/// `X-Klaxon-Notification-Id`), so a retry sends the same id. Every message of a group carries
/// `In-Reply-To` and `References` to one id derived from the group key, so mail clients thread a
/// group's messages together, across restarts and on both Klaxons of an HA pair.
package struct EmailMessage: Sendable {
    package var from: EmailAddress
    package var to: [EmailAddress]
    /// Adds the HTML part.
    package var html: Bool

    package init(from: EmailAddress, to: [EmailAddress], html: Bool = true) {
        self.from = from
        self.to = to
        self.html = html
    }

    /// The subject: the message's first line, at most 200 characters.
    package static func subject(_ message: MessageText) -> String {
        let first = message.lines.first.map { MessageText(lines: [$0]).plainText } ?? "Klaxon notification"
        return first.count > 200 ? String(first.prefix(199)) + "…" : first
    }

    /// The whole message, ready for `SMTPData.stuffed`.
    package func render(_ notification: Notification, message: MessageText) -> [UInt8] {
        let subject = Self.subject(message)
        let domain = from.domain
        let thread = Self.threadID(groupKey: notification.groupKey, domain: domain)
        var headers = [
            "Date: " + EmailEncoding.date(unixMilliseconds: notification.createdAt),
            "From: " + EmailEncoding.mailbox(name: from.name, address: from.address),
            "To: " + to.map { EmailEncoding.mailbox(name: $0.name, address: $0.address) }.joined(separator: ",\r\n "),
            "Subject: " + EmailEncoding.headerText(subject),
            "Message-Id: " + Self.messageID(notification.id, domain: domain),
            "In-Reply-To: " + thread,
            "References: " + thread,
            "X-Klaxon-Notification-Id: " + Self.token(notification.id),
            "X-Klaxon-Severity: " + notification.severity.name,
            "Auto-Submitted: auto-generated",
            "MIME-Version: 1.0",
        ]
        let text = EmailEncoding.quotedPrintable(message.plainText + "\n")
        var body: String
        if html {
            let boundary = "=_klaxon_" + Self.token(notification.id)
            headers.append("Content-Type: multipart/alternative; boundary=\"\(boundary)\"")
            let page = EmailEncoding.quotedPrintable(EmailHTML.render(message, title: subject))
            body =
                "--\(boundary)\r\n" + Self.partHeaders("text/plain") + text + "\r\n"
                + "--\(boundary)\r\n" + Self.partHeaders("text/html") + page + "\r\n"
                + "--\(boundary)--\r\n"
        } else {
            headers.append("Content-Type: text/plain; charset=utf-8")
            headers.append("Content-Transfer-Encoding: quoted-printable")
            body = text + "\r\n"
        }
        return Array((headers.joined(separator: "\r\n") + "\r\n\r\n" + body).utf8)
    }

    /// `<klaxon.ID@domain>` for a notification id.
    package static func messageID(_ notificationID: String, domain: String) -> String {
        "<klaxon.\(token(notificationID))@\(domain)>"
    }

    /// The id every message of a group refers to: FNV-1a of the group key, so it never changes.
    package static func threadID(groupKey: String, domain: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in groupKey.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "<klaxon.group.\(String(repeating: "0", count: 16 - hex.count) + hex)@\(domain)>"
    }

    private static func partHeaders(_ type: String) -> String {
        "Content-Type: \(type); charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
    }

    /// `id` with anything but letters, digits, `.`, `-` and `_` replaced, at most 100 characters:
    /// it goes into a header and a message id.
    private static func token(_ id: String) -> String {
        let safe = id.unicodeScalars.prefix(100).map { scalar -> Character in
            scalar.isASCII
                && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || ".-_".unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        }
        return safe.isEmpty ? "_" : String(safe)
    }
}
