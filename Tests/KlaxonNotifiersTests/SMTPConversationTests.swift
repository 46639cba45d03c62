import KlaxonNotifiers
import KlaxonRouting
import Testing

@Suite struct SMTPConversationTests {
    private func settings(
        credentials: SMTPCredentials? = SMTPCredentials(username: "klaxon", password: "pw"),
        requireStartTLS: Bool = true, encrypted: Bool = false, loopback: Bool = false,
        recipients: [String] = ["a@example.com", "b@example.com"]
    ) -> SMTPConversation.Settings {
        SMTPConversation.Settings(
            hello: "klaxon.example.com", from: "klaxon@example.com", recipients: recipients, credentials: credentials,
            requireStartTLS: requireStartTLS, encrypted: encrypted, allowsUnencryptedAuth: loopback,
            target: "SMTP relay at mx:587")
    }

    private func reply(_ code: Int, _ lines: String...) -> SMTPReply { SMTPReply(code: code, lines: lines) }

    /// The text of the commands the actions send.
    private func sent(_ actions: [SMTPAction]) -> [String] {
        actions.compactMap { action in
            if case .send(let bytes) = action { return String(decoding: bytes, as: UTF8.self) }
            return nil
        }
    }

    private func failure(_ actions: [SMTPAction]) -> DeliveryError? {
        guard case .finish(.failed(let error, _)) = actions.last else { return nil }
        return error
    }

    @Test func startTLSThenAuthPlainThenTheDotStuffedMessage() {
        var conversation = SMTPConversation(settings: settings(), message: Array("Subject: x\r\n\r\n.dot\r\n".utf8))
        #expect(sent(conversation.receive(reply(220, "mx ESMTP"))) == ["EHLO klaxon.example.com\r\n"])
        #expect(sent(conversation.receive(reply(250, "mx", "STARTTLS", "SIZE 100"))) == ["STARTTLS\r\n"])
        #expect(conversation.receive(reply(220, "go ahead")) == [.startTLS])
        #expect(sent(conversation.tlsEstablished()) == ["EHLO klaxon.example.com\r\n"])
        #expect(sent(conversation.receive(reply(250, "mx", "AUTH LOGIN PLAIN"))) == ["AUTH PLAIN AGtsYXhvbgBwdw==\r\n"])
        #expect(sent(conversation.receive(reply(235, "ok"))) == ["MAIL FROM:<klaxon@example.com>\r\n"])
        #expect(sent(conversation.receive(reply(250, "ok"))) == ["RCPT TO:<a@example.com>\r\n"])
        #expect(sent(conversation.receive(reply(250, "ok"))) == ["RCPT TO:<b@example.com>\r\n"])
        #expect(sent(conversation.receive(reply(251, "forwarded"))) == ["DATA\r\n"])
        #expect(sent(conversation.receive(reply(354, "go"))) == ["Subject: x\r\n\r\n..dot\r\n.\r\n"])
        let end = conversation.receive(reply(250, "queued"))
        #expect(sent(end) == ["QUIT\r\n"])
        #expect(end.last == .finish(.delivered))
        #expect(conversation.usedStartTLS)
        #expect(conversation.authenticatedWith == "PLAIN")
    }

    @Test func authLoginSendsTheNameThenThePassword() {
        var conversation = SMTPConversation(settings: settings(encrypted: true), message: [])
        _ = conversation.receive(reply(220))
        #expect(sent(conversation.receive(reply(250, "mx", "AUTH LOGIN"))) == ["AUTH LOGIN\r\n"])
        #expect(sent(conversation.receive(reply(334, "VXNlcm5hbWU6"))) == ["a2xheG9u\r\n"])
        #expect(sent(conversation.receive(reply(334, "UGFzc3dvcmQ6"))) == ["cHc=\r\n"])
        #expect(sent(conversation.receive(reply(235))) == ["MAIL FROM:<klaxon@example.com>\r\n"])
        #expect(conversation.authenticatedWith == "LOGIN")
        #expect(!conversation.usedStartTLS)
    }

    @Test func aRelayWithoutStartTLSIsRefusedWhenTLSIsRequired() {
        var conversation = SMTPConversation(settings: settings(), message: [])
        _ = conversation.receive(reply(220))
        let actions = conversation.receive(reply(250, "mx", "AUTH PLAIN"))
        #expect(sent(actions) == ["QUIT\r\n"])
        #expect(failure(actions)?.errorClass == .configuration)
        #expect(failure(actions)?.message.hasPrefix("SMTP relay at mx:587 does not offer STARTTLS") == true)
    }

    @Test func thePasswordNeverGoesOutUnencryptedExceptToTheLoopback() {
        var remote = SMTPConversation(settings: settings(requireStartTLS: false), message: [])
        _ = remote.receive(reply(220))
        #expect(failure(remote.receive(reply(250, "mx", "AUTH PLAIN")))?.errorClass == .configuration)
        var local = SMTPConversation(settings: settings(requireStartTLS: false, loopback: true), message: [])
        _ = local.receive(reply(220))
        #expect(sent(local.receive(reply(250, "mx", "AUTH PLAIN"))) == ["AUTH PLAIN AGtsYXhvbgBwdw==\r\n"])
    }

    @Test func aServerThatRefusesEHLOIsGreetedWithHELO() {
        var conversation = SMTPConversation(
            settings: settings(credentials: nil, requireStartTLS: false, recipients: ["a@example.com"]), message: [])
        _ = conversation.receive(reply(220))
        #expect(sent(conversation.receive(reply(502, "what?"))) == ["HELO klaxon.example.com\r\n"])
        #expect(sent(conversation.receive(reply(250))) == ["MAIL FROM:<klaxon@example.com>\r\n"])
    }

    @Test(arguments: [
        (451, "MAIL FROM", DeliveryErrorClass.serverError),
        (421, "MAIL FROM", .serverError),
        (550, "MAIL FROM", .rejected),
        (554, "RCPT TO", .rejected),
        (452, "RCPT TO", .serverError),
        (535, "AUTH", .configuration),
        (454, "AUTH", .serverError),
    ])
    func refusalsAreTransientForFourHundredsAndFinalForFiveHundreds(
        _ code: Int, _ stage: String, _ expected: DeliveryErrorClass
    ) {
        var conversation = SMTPConversation(settings: settings(encrypted: true), message: [])
        _ = conversation.receive(reply(220))
        _ = conversation.receive(reply(250, "mx", "AUTH PLAIN"))
        if stage != "AUTH" { _ = conversation.receive(reply(235)) }
        if stage == "RCPT TO" { _ = conversation.receive(reply(250)) }
        let actions = conversation.receive(reply(code, "4.7.1 no thanks"))
        let error = failure(actions)
        #expect(error?.errorClass == expected)
        #expect(error?.message == "SMTP relay at mx:587 answered \(code) 4.7.1 no thanks to \(stage)")
        #expect(error?.isRetryable == (code < 500))
        #expect(sent(actions) == ["QUIT\r\n"])
        #expect(conversation.stage == .done)
    }

    @Test func aMessageOverTheRelaysSizeLimitIsRefusedBeforeItIsSent() {
        var conversation = SMTPConversation(
            settings: settings(credentials: nil, encrypted: true), message: Array(repeating: 65, count: 200))
        _ = conversation.receive(reply(220))
        let actions = conversation.receive(reply(250, "mx", "SIZE 100"))
        #expect(sent(actions) == ["QUIT\r\n"])
        #expect(failure(actions)?.errorClass == .rejected)
        #expect(failure(actions)?.message == "SMTP relay at mx:587 accepts messages up to 100 bytes; this one has 205")
    }

    @Test func loopbackMeansALoopbackAddressNotANameThatLooksLikeOne() {
        let endpoint = { (host: String) in
            SMTPEndpoint(host: host, port: 25, implicitTLS: false, tls: TLSSettings(), timeoutMilliseconds: 1)
        }
        #expect(["localhost", "::1", "127.0.0.1", "127.8.9.10"].allSatisfy { endpoint($0).isLoopback })
        #expect(!["127.example.com", "10.0.0.1", "mx.example.com"].contains { endpoint($0).isLoopback })
    }

    @Test func aRefusedGreetingEndsTheConversation() {
        var conversation = SMTPConversation(settings: settings(), message: [])
        let actions = conversation.receive(reply(554, "no service"))
        #expect(failure(actions)?.errorClass == .rejected)
        #expect(conversation.receive(reply(250)) == [])
    }
}
