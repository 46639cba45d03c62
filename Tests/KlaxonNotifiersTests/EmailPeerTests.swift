import KlaxonConfig
import KlaxonNotifiers
import KlaxonRouting
import KlaxonTestSupport
import Testing

/// The email notifier against a real SMTP server: Python's aiosmtpd requiring STARTTLS and AUTH,
/// with a self-signed certificate the receiver trusts through `tls.ca_file`.
@Suite(.enabled(if: SMTPPeer.shouldRun, "needs python3 with aiosmtpd, and openssl"))
struct EmailPeerTests {
    let clock = ManualWallClock(milliseconds: Fixtures.t0 + 60_000)

    private func receiver(_ peer: SMTPPeer, host: String = "127.0.0.1", caFile: String?) -> EmailReceiver {
        var email = EmailReceiver(
            smarthost: HostPort(host: host, port: peer.port),
            from: EmailAddress(name: "Klaxon", address: "klaxon@example.com"),
            to: [EmailAddress(address: "oncall@example.com"), EmailAddress(name: "Öps", address: "ops@example.com")])
        email.hello = "klaxon.test"
        email.authUsername = peer.username
        email.authPassword = peer.password
        email.caFile = caFile
        return email
    }

    @Test func aiosmtpdReceivesTheExactMessageOverStartTLSWithAuth() async throws {
        let peer = try await SMTPPeer()
        let alert = Fixtures.alert(annotations: ["summary": "Frozen <book>", "description": "line\n.dotted line"])
        let notification = Fixtures.notification([alert], id: "feedface01")
        let email = receiver(peer, caFile: peer.caFile)
        let result = await EmailNotifier(receiver: "mail", email: email, clock: clock).send(notification, attempt: 1)
        let messages = try peer.messages()
        let diagnosis = peer.outputForDiagnosis
        try await peer.stop()
        #expect(result == .delivered, "\(diagnosis)")
        let message = try #require(messages.first)
        #expect(messages.count == 1)
        #expect(message.tls)
        #expect(message.authMechanism == "PLAIN")
        #expect(message.authUser == "klaxon")
        #expect(message.from == "klaxon@example.com")
        #expect(message.recipients == ["oncall@example.com", "ops@example.com"])
        let expected = EmailMessage(from: email.from, to: email.to).render(
            notification, message: DefaultMessages().message(for: notification, now: clock.nowMilliseconds()))
        #expect(message.text == String(decoding: expected, as: UTF8.self))
        let (headers, body) = MailReader.split(message.text)
        #expect(headers.first { $0.0 == "Message-Id" }?.1 == "<klaxon.feedface01@example.com>")
        #expect(headers.first { $0.0 == "X-Klaxon-Notification-Id" }?.1 == "feedface01")
        let text = try #require(MailReader.part(body, type: "text/plain"))
        #expect(text.contains("\r\n.dotted line\r\n"))
        let html = try #require(MailReader.part(body, type: "text/html"))
        #expect(html.contains("<b>Summary: </b>Frozen &lt;book&gt;"))
    }

    @Test func authLoginWorksWhenTheRelayOffersOnlyLoginAndTheHostNameIsVerified() async throws {
        let peer = try await SMTPPeer(onlyLogin: true)
        let settings = SMTPConversation.Settings(
            hello: "klaxon.test", from: "klaxon@example.com", recipients: ["oncall@example.com"],
            credentials: SMTPCredentials(username: peer.username, password: peer.password), requireStartTLS: true,
            encrypted: false, allowsUnencryptedAuth: false, target: "relay")
        let endpoint = SMTPEndpoint(
            host: "localhost", port: peer.port, implicitTLS: false, tls: TLSSettings(caFile: peer.caFile),
            timeoutMilliseconds: 10_000)
        let run = await SMTPClient.deliver(
            SMTPConversation(settings: settings, message: Array("Subject: hi\r\n\r\nbody\r\n".utf8)), to: endpoint)
        let messages = try peer.messages()
        try await peer.stop()
        #expect(run.result == .delivered)
        #expect(run.conversation.usedStartTLS)
        #expect(run.conversation.authenticatedWith == "LOGIN")
        #expect(messages.map(\.text) == ["Subject: hi\r\n\r\nbody\r\n"])
        #expect(messages.first?.authMechanism == "LOGIN")
    }

    @Test func implicitTLSOnTheSMTPSPortIsEncryptedFromTheFirstByte() async throws {
        let peer = try await SMTPPeer(implicitTLS: true)
        let settings = SMTPConversation.Settings(
            hello: "klaxon.test", from: "klaxon@example.com", recipients: ["oncall@example.com"],
            credentials: SMTPCredentials(username: peer.username, password: peer.password), requireStartTLS: false,
            encrypted: true, allowsUnencryptedAuth: false, target: "relay")
        let endpoint = SMTPEndpoint(
            host: "127.0.0.1", port: peer.port, implicitTLS: true, tls: TLSSettings(caFile: peer.caFile),
            timeoutMilliseconds: 10_000)
        let run = await SMTPClient.deliver(
            SMTPConversation(settings: settings, message: Array("Subject: hi\r\n\r\nbody\r\n".utf8)), to: endpoint)
        let messages = try peer.messages()
        let diagnosis = peer.outputForDiagnosis
        try await peer.stop()
        #expect(run.result == .delivered, "\(diagnosis)")
        #expect(!run.conversation.usedStartTLS)
        #expect(messages.first?.tls == true)
        #expect(messages.first?.authMechanism == "PLAIN")
    }

    @Test func anUntrustedCertificateIsRefusedAndNothingIsSent() async throws {
        let peer = try await SMTPPeer()
        let result = await EmailNotifier(receiver: "mail", email: receiver(peer, caFile: nil), clock: clock).send(
            Fixtures.notification([Fixtures.alert()]), attempt: 1)
        let messages = try peer.messages()
        try await peer.stop()
        guard case .failed(let error, _) = result else {
            Issue.record("expected a refusal, got \(result)")
            return
        }
        #expect(error.errorClass == .network)
        #expect(error.message.contains("the certificate was not accepted: self-signed certificate"))
        #expect(!error.message.contains(peer.password))
        #expect(messages.isEmpty)
    }

    @Test func aCertificateForAnotherHostIsRefused() async throws {
        // A trusted certificate, but for another name than the one the receiver connects by.
        let peer = try await SMTPPeer(certificateNames: "DNS:mx.example.com")
        let email = receiver(peer, caFile: peer.caFile)
        let result = await EmailNotifier(receiver: "mail", email: email, clock: clock).send(
            Fixtures.notification([Fixtures.alert()]), attempt: 1)
        let messages = try peer.messages()
        try await peer.stop()
        guard case .failed(let error, _) = result else {
            Issue.record("expected a refusal, got \(result)")
            return
        }
        #expect(error.errorClass == .network)
        #expect(error.message.hasSuffix("the certificate was not accepted: IP address mismatch"))
        #expect(messages.isEmpty)
    }

    @Test func insecureSkipVerifyAcceptsTheUntrustedCertificate() async throws {
        let peer = try await SMTPPeer()
        var email = receiver(peer, caFile: nil)
        email.insecureSkipVerify = true
        let result = await EmailNotifier(receiver: "mail", email: email, clock: clock).send(
            Fixtures.notification([Fixtures.alert()]), attempt: 1)
        let count = try peer.messages().count
        try await peer.stop()
        #expect(result == .delivered)
        #expect(count == 1)
    }
}
