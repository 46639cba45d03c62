import KlaxonTemplate
// MARK: - receivers

extension KlaxonConfiguration {
    /// Decodes `receivers:`; names are unique and every `fallback` names a receiver.
    mutating func decodeReceivers(_ root: MappingReader, processEnvironment: [String: String]) {
        guard let items = root.sequence("receivers") else { return }
        var decoded: [(ReceiverConfiguration, MappingReader)] = []
        var seen: [String: Mark] = [:]
        for item in items {
            guard let reader = item.mapping(allowedKeys: ReceiverConfiguration.keys),
                let receiver = ReceiverConfiguration(decoding: reader, processEnvironment: processEnvironment)
            else { continue }
            if let first = seen[receiver.name] {
                reader.fail(
                    key: "name",
                    "duplicate receiver name \"\(receiver.name)\" (first used at line \(first.line)); "
                        + "names must be unique"
                )
                continue
            }
            seen[receiver.name] = reader.mark(of: "name")
            decoded.append((receiver, reader))
        }
        let names = Set(decoded.map(\.0.name)).union([ReceiverConfiguration.reservedLogName])
        for (receiver, reader) in decoded {
            for target in receiver.fallback where !names.contains(target) || target == receiver.name {
                let why = target == receiver.name ? "is the receiver itself" : "is not a configured receiver"
                let allowed = names.subtracting([receiver.name]).sorted().joined(separator: ", ")
                reader.fail(key: "fallback", "\"\(target)\" \(why); allowed: \(allowed)")
            }
        }
        receivers = decoded.map(\.0)
    }
}

extension ReceiverConfiguration {
    static let kinds = ["telegram", "slack", "webhook", "alertmanager", "email"]
    static let keys =
        ["name"] + kinds + [
            "timeout", "fallback", "max_delivery_age", "failing_after_failures", "failing_after", "message",
        ]

    /// One receiver; nil (with every problem reported) when it cannot be used.
    init?(decoding reader: MappingReader, processEnvironment: [String: String]) {
        let problems = reader.diagnostics.errors.count + reader.diagnostics.suppressedCount
        let name = reader.required("name")?.string() ?? ""
        if reader.has("name") {
            if name.isEmpty {
                reader.fail(key: "name", "must not be empty")
            } else if name == Self.reservedLogName {
                reader.fail(key: "name", "\"log\" is the built-in log receiver; choose another name")
            }
        }
        let present = Self.kinds.filter { reader.has($0) }
        guard present.count == 1, let key = present.first else {
            if present.isEmpty {
                reader.fail("receiver \"\(name)\" needs one of: \(Self.kinds.joined(separator: ", "))")
            } else {
                reader.fail(
                    key: present[1],
                    "receiver \"\(name)\" sets \(present.joined(separator: " and ")); a receiver has exactly one kind")
            }
            return nil
        }
        guard let kind = Self.decodeKind(key, reader, processEnvironment: processEnvironment) else { return nil }
        self.init(name: name, kind: kind)
        if let timeout = reader["timeout"]?.positiveDuration() { timeoutMilliseconds = timeout }
        if let names = reader.stringList("fallback") { fallback = names }
        if let age = reader["max_delivery_age"]?.positiveDuration() { maxDeliveryAgeMilliseconds = age }
        if let count = reader.int("failing_after_failures", in: 1...1000) { failingAfterFailures = count }
        if let window = reader["failing_after"]?.positiveDuration() { failingAfterMilliseconds = window }
        decodeMessage(reader)
        guard reader.diagnostics.errors.count + reader.diagnostics.suppressedCount == problems else { return nil }
    }

    /// `message`: a Go template for the chat receivers, checked here so a typo stops the start.
    private mutating func decodeMessage(_ reader: MappingReader) {
        guard let value = reader["message"], let text = value.string() else { return }
        switch kind {
        case .webhook, .alertmanager:
            value.fail("a \(kind.key) receiver sends Alertmanager's payload, not a message; remove \"message\"")
            return
        case .telegram, .slack, .email:
            break
        }
        do {
            _ = try Template(text, name: "message", variables: [])
            message = text
        } catch {
            value.fail("invalid template: \(error.description)")
        }
    }

    private static func decodeKind(_ key: String, _ reader: MappingReader, processEnvironment: [String: String])
        -> Kind?
    {
        switch key {
        case "telegram":
            guard let section = reader.mapping("telegram", allowedKeys: ["bot_token", "chat_id", "api_url"]) else {
                return nil
            }
            let token = section.secretString("bot_token") ?? nonEmpty(processEnvironment["TELEGRAM_BOT_TOKEN"])
            let chat = section.string("chat_id") ?? nonEmpty(processEnvironment["TELEGRAM_CHAT_ID"])
            guard let token, !token.isEmpty else {
                section.fail(key: "bot_token", "missing; set it here or in the environment variable TELEGRAM_BOT_TOKEN")
                return nil
            }
            guard let chat, !chat.isEmpty else {
                section.fail(key: "chat_id", "missing; set it here or in the environment variable TELEGRAM_CHAT_ID")
                return nil
            }
            guard isChatID(chat) else {
                section.fail(
                    key: "chat_id",
                    "\"\(chat.prefix(64))\" is not a chat id; allowed: a number such as -1001234567890, or @channelname"
                )
                return nil
            }
            var apiURL = TelegramReceiver.defaultAPIURL
            if let value = section["api_url"] {
                guard let url = httpURL(value, secret: false) else { return nil }
                apiURL = url
            }
            return .telegram(TelegramReceiver(botToken: token, chatID: chat, apiURL: apiURL))
        case "slack":
            guard let section = reader.mapping("slack", allowedKeys: ["webhook_url"]),
                let url = section.required("webhook_url").flatMap({ httpURL($0, secret: true) })
            else { return nil }
            return .slack(webhookURL: url)
        case "webhook":
            guard let section = reader.mapping("webhook", allowedKeys: ["url", "max_alerts"]),
                let url = section.required("url").flatMap({ httpURL($0, secret: true) })
            else { return nil }
            let maxAlerts = section.has("max_alerts") ? section.int("max_alerts", in: 0...1_000_000) : 0
            guard let maxAlerts else { return nil }
            return .webhook(url: url, maxAlerts: maxAlerts)
        case "email":
            return decodeEmail(reader).map(Kind.email)
        default:
            guard let section = reader.mapping("alertmanager", allowedKeys: ["urls"]),
                let items = section.required("urls")?.sequence()
            else { return nil }
            guard !items.isEmpty else {
                section.fail(key: "urls", "must name at least one Alertmanager (http://host:9093)")
                return nil
            }
            let urls = items.compactMap { httpURL($0, secret: false) }
            return urls.count == items.count ? .alertmanager(urls: urls) : nil
        }
    }

    /// An `http://` or `https://` URL with a host; a secret one is never quoted in the error.
    private static func httpURL(_ value: ValueReader, secret: Bool) -> String? {
        guard let text = secret ? value.secretString() : value.string() else { return nil }
        let lower = text.lowercased()
        let rest =
            lower.hasPrefix("https://") ? text.dropFirst(8) : lower.hasPrefix("http://") ? text.dropFirst(7) : nil
        guard let rest, let host = rest.split(separator: "/", omittingEmptySubsequences: false).first, !host.isEmpty,
            !text.contains(where: { $0 == " " || $0.isNewline })
        else {
            let shown = secret ? "the value" : "\"\(text.prefix(64))\""
            value.fail("\(shown) is not a URL; allowed: http://host[:port]/path or https://host[:port]/path")
            return nil
        }
        return text
    }

    /// A Telegram chat id: an integer (negative for groups) or `@channelusername`.
    private static func isChatID(_ text: String) -> Bool {
        if text.hasPrefix("@") {
            return text.count > 1
                && text.dropFirst().allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        }
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        return !digits.isEmpty && digits.count <= 20 && digits.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
