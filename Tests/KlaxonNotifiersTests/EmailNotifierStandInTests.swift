import KlaxonConfig
import KlaxonMetrics
import KlaxonNotifiers
import KlaxonRouting
import KlaxonTestSupport
import Testing

@Suite struct EmailNotifierStandInTests {
    let clock = ManualWallClock(milliseconds: Fixtures.t0 + 60_000)

    private func notifier(
        _ standIn: SMTPStandIn, username: String? = nil, password: String? = nil, timeout: Int64 = 10_000
    ) -> EmailNotifier {
        var email = EmailReceiver(
            smarthost: HostPort(host: "127.0.0.1", port: standIn.port),
            from: EmailAddress(name: "Klaxon", address: "klaxon@example.com"),
            to: [EmailAddress(address: "oncall@example.com"), EmailAddress(address: "ops@example.com")])
        email.requireTLS = false
        email.authUsername = username
        email.authPassword = password
        return EmailNotifier(receiver: "mail", email: email, timeoutMilliseconds: timeout, clock: clock)
    }

    @Test func theRelayReceivesTheRenderedMessageWithItsDotLineRestored() async throws {
        let standIn = try SMTPStandIn()
        defer { standIn.stop() }
        let alert = Fixtures.alert(annotations: ["summary": "Frozen", "description": "first\n.hidden\n..two"])
        let notification = Fixtures.notification([alert], id: "abc123")
        #expect(await notifier(standIn).send(notification, attempt: 1) == .delivered)
        let message = try #require(standIn.messages.first)
        #expect(message.from == "klaxon@example.com")
        #expect(message.recipients == ["oncall@example.com", "ops@example.com"])
        let rendered = EmailMessage(
            from: EmailAddress(name: "Klaxon", address: "klaxon@example.com"),
            to: [EmailAddress(address: "oncall@example.com"), EmailAddress(address: "ops@example.com")]
        ).render(notification, message: DefaultMessages().message(for: notification, now: clock.nowMilliseconds()))
        #expect(message.text == String(decoding: rendered, as: UTF8.self))
        #expect(message.text.contains("\r\n.hidden\r\n..two\r\n"))
        #expect(String(decoding: message.wire, as: UTF8.self).contains("\r\n..hidden\r\n...two\r\n"))
        #expect(message.authMechanism == nil)
        #expect(standIn.commands.first == "EHLO localhost")
        // The outcome is decided at the 250 after the message; QUIT reaches the relay just after.
        try await waitUntil("the QUIT at the relay", timeout: .seconds(10)) { standIn.commands.last == "QUIT" }
    }

    @Test func authOnTheLoopbackUsesPlainWithTheConfiguredCredentials() async throws {
        let standIn = try SMTPStandIn(credentials: ("klaxon", "pässword"))
        defer { standIn.stop() }
        let result = await notifier(standIn, username: "klaxon", password: "pässword").send(
            Fixtures.notification([Fixtures.alert()]), attempt: 1)
        #expect(result == .delivered)
        let message = try #require(standIn.messages.first)
        #expect(message.authMechanism == "PLAIN")
        #expect(message.authUsername == "klaxon")
        #expect(message.authPassword == "pässword")
    }

    @Test func wrongCredentialsAreAConfigurationErrorThatNeverShowsThePassword() async throws {
        let standIn = try SMTPStandIn(credentials: ("klaxon", "right"))
        defer { standIn.stop() }
        let result = await notifier(standIn, username: "klaxon", password: "WRONG-secret").send(
            Fixtures.notification([Fixtures.alert()]), attempt: 1)
        guard case .failed(let error, _) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(error.errorClass == .configuration)
        #expect(error.message.contains("535"))
        #expect(!error.description.contains("WRONG-secret"))
        #expect(standIn.messages.isEmpty)
    }

    @Test(arguments: [
        (StandInMode.fail(status: 550), DeliveryErrorClass.rejected, "answered 550 5.7.1 refused by the stand-in"),
        (.fail(status: 452), .serverError, "answered 452 5.7.1 refused by the stand-in"),
        (.throttle(retryAfterSeconds: 30), .serverError, "answered 451 4.7.1 rate limited, try again in 30 seconds"),
    ])
    func refusalsAreClassifiedByTheirCode(_ mode: StandInMode, _ expected: DeliveryErrorClass, _ words: String)
        async throws
    {
        let standIn = try SMTPStandIn()
        defer { standIn.stop() }
        standIn.setMode(mode)
        let result = await notifier(standIn).send(Fixtures.notification([Fixtures.alert()]), attempt: 1)
        guard case .failed(let error, let retryAfter) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(error.errorClass == expected)
        #expect(error.message == "SMTP relay at 127.0.0.1:\(standIn.port) \(words) to MAIL FROM")
        #expect(retryAfter == nil)
        #expect(standIn.messages.isEmpty)
    }

    @Test func aRelayThatNeverGreetsIsATimeout() async throws {
        let standIn = try SMTPStandIn()
        defer { standIn.stop() }
        standIn.setMode(.hang)
        let result = await notifier(standIn, timeout: 300).send(Fixtures.notification([Fixtures.alert()]), attempt: 1)
        guard case .failed(let error, _) = result else {
            Issue.record("expected a timeout, got \(result)")
            return
        }
        #expect(error.errorClass == .timeout)
        #expect(
            error.message == "SMTP relay at 127.0.0.1:\(standIn.port): no reply within 300ms (waiting for the greeting)"
        )
    }

    @Test func aClosedPortIsANetworkErrorWorthRetrying() async throws {
        let port = Int(try FreePort.next())
        var email = EmailReceiver(
            smarthost: HostPort(host: "127.0.0.1", port: port), from: EmailAddress(address: "k@example.com"),
            to: [EmailAddress(address: "o@example.com")])
        email.requireTLS = false
        let result = await EmailNotifier(receiver: "mail", email: email, clock: clock).send(
            Fixtures.notification([Fixtures.alert()]), attempt: 1)
        guard case .failed(let error, _) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(error.errorClass == .network)
        #expect(error.isRetryable)
        #expect(error.message == "SMTP relay at 127.0.0.1:\(port): connect failed: Connection refused")
    }

    @Test func requireTLSAgainstARelayWithoutStartTLSSendsNothing() async throws {
        let standIn = try SMTPStandIn()
        defer { standIn.stop() }
        var email = EmailReceiver(
            smarthost: HostPort(host: "127.0.0.1", port: standIn.port), from: EmailAddress(address: "k@example.com"),
            to: [EmailAddress(address: "o@example.com")])
        email.requireTLS = true
        let result = await EmailNotifier(receiver: "mail", email: email, clock: clock).send(
            Fixtures.notification([Fixtures.alert()]), attempt: 1)
        guard case .failed(let error, _) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(error.errorClass == .configuration)
        try await waitUntil("the QUIT at the relay", timeout: .seconds(10)) { standIn.commands.last == "QUIT" }
        #expect(standIn.commands == ["EHLO localhost", "QUIT"])
    }
}
