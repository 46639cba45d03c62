/// What a server's EHLO reply offers (RFC 5321 §4.1.1.1): one extension per line after the first.
package struct SMTPCapabilities: Sendable, Equatable {
    /// Extension keywords, upper-cased, each with its parameters as written.
    package var extensions: [String: [String]]

    /// No extensions (the server answered HELO, or nothing yet).
    package init() {
        extensions = [:]
    }

    /// Reads an EHLO reply; the first line names the server and is skipped.
    package init(ehlo reply: SMTPReply) {
        var extensions: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "=" })
            guard let keyword = words.first else { continue }
            // Old servers also write `AUTH=LOGIN PLAIN`; both forms add up.
            extensions[keyword.uppercased(), default: []] += words.dropFirst().map(String.init)
        }
        self.extensions = extensions
    }

    /// The server offers `STARTTLS`.
    package var startTLS: Bool { extensions["STARTTLS"] != nil }

    /// The SASL mechanisms after `AUTH`, upper-cased.
    package var authMechanisms: Set<String> { Set((extensions["AUTH"] ?? []).map { $0.uppercased() }) }

    /// The `SIZE` limit in bytes when the server states one (0 and absent mean none).
    package var maxSize: Int? {
        guard let text = extensions["SIZE"]?.first, let size = Int(text), size > 0 else { return nil }
        return size
    }
}
