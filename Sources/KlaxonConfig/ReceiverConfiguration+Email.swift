// MARK: - email

extension ReceiverConfiguration {
    /// `email:`; nil (with every problem reported) when it cannot be used.
    static func decodeEmail(_ reader: MappingReader) -> EmailReceiver? {
        guard let section = reader.mapping("email", allowedKeys: EmailReceiver.keys) else { return nil }
        let problems = section.diagnostics.errors.count + section.diagnostics.suppressedCount
        let smarthost = section.required("smarthost")?.hostPort(allowsEmptyHost: false)
        if let smarthost, smarthost.port == 0 { section.fail(key: "smarthost", "the port must be 1 to 65535") }
        let from = section.required("from").flatMap(address)
        var recipients: [EmailAddress]?
        if let value = section.required("to") {
            // Alertmanager writes `to` as one string of comma-separated addresses; a list reads better.
            let items: [(String, ValueReader)]
            if value.node.sequenceItems != nil {
                items = (value.sequence() ?? []).compactMap { item in item.string().map { ($0, item) } }
            } else {
                items = (value.string() ?? "").split(separator: ",").map { (String($0), value) }
            }
            let parsed = items.compactMap { text, item in address(text, item) }
            if items.isEmpty { value.fail("must name at least one recipient, as in [oncall@example.com]") }
            if parsed.count == items.count, !items.isEmpty { recipients = parsed }
        }
        guard let smarthost, let from, let recipients else { return nil }
        var email = EmailReceiver(smarthost: smarthost, from: from, to: recipients)
        if let hello = section["hello"] {
            if let name = hello.string(), isHostName(name) {
                email.hello = name
            } else {
                hello.fail("must be a host name such as klaxon.example.com")
            }
        }
        email.authUsername = section.string("auth_username").flatMap { $0.isEmpty ? nil : $0 }
        email.authPassword = section.secretString("auth_password")
        email.authPasswordFile = section.string("auth_password_file")
        if email.authPassword != nil, email.authPasswordFile != nil {
            section.fail(key: "auth_password_file", "set auth_password or auth_password_file, not both")
        }
        if email.authUsername == nil, email.authPassword != nil || email.authPasswordFile != nil {
            section.fail(key: "auth_username", "missing; a password is set, so the user name is needed too")
        }
        if let require = section.bool("require_tls") { email.requireTLS = require }
        if let tls = section.mapping("tls", allowedKeys: ["ca_file", "insecure_skip_verify"]) {
            email.caFile = tls.string("ca_file")
            if let skip = tls.bool("insecure_skip_verify") { email.insecureSkipVerify = skip }
        }
        if let html = section.bool("html") { email.html = html }
        if let value = section["digest_at"] {
            if let text = value.string(), let minute = minuteOfDay(text) {
                email.digestAtMinute = minute
            } else {
                value.fail("must be a time of day in UTC as HH:MM, such as \"08:00\"")
            }
        }
        guard section.diagnostics.errors.count + section.diagnostics.suppressedCount == problems else { return nil }
        return email
    }

    private static func address(_ value: ValueReader) -> EmailAddress? {
        value.string().flatMap { address($0, value) }
    }

    private static func address(_ text: String, _ value: ValueReader) -> EmailAddress? {
        do {
            return try EmailAddress(parsing: text)
        } catch {
            value.fail("\"\(text.prefix(64))\" is not an email address: \(error.description)")
            return nil
        }
    }

    /// `HH:MM` from `00:00` to `23:59` as minutes after midnight.
    static func minuteOfDay(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), hour < 24, minute < 60
        else { return nil }
        return hour * 60 + minute
    }

    private static func isHostName(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 253
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") }
    }
}
