import KlaxonConfig
import KlaxonRouting
import KlaxonRuntime

/// Sends notifications as email through an SMTP relay (`email:` receivers): STARTTLS or implicit
/// TLS, AUTH PLAIN or LOGIN, a plain-text and an HTML part, threaded by group.
///
/// Each attempt is one SMTP conversation on a thread of its own. 4xx replies, network errors and
/// timeouts are retried; 5xx replies are final (the fallbacks get the notification).
package struct EmailNotifier: Notifier {
    package let receiver: String
    private let email: EmailReceiver
    private let timeoutMilliseconds: Int64
    private let renderer: any MessageRendering
    private let clock: any WallClock

    package init(
        receiver: String, email: EmailReceiver, timeoutMilliseconds: Int64 = 10_000,
        renderer: any MessageRendering = DefaultMessages(), clock: any WallClock = SystemWallClock()
    ) {
        self.receiver = receiver
        self.email = email
        self.timeoutMilliseconds = timeoutMilliseconds
        self.renderer = renderer
        self.clock = clock
    }

    /// The relay as the client reaches it.
    package var endpoint: SMTPEndpoint {
        SMTPEndpoint(
            host: email.smarthost.host, port: email.smarthost.port, implicitTLS: email.implicitTLS,
            tls: TLSSettings(caFile: email.caFile, insecureSkipVerify: email.insecureSkipVerify),
            timeoutMilliseconds: timeoutMilliseconds)
    }

    package func send(_ notification: Notification, attempt: Int) async -> DeliveryResult {
        let run: SMTPClient.Run
        switch conversation(for: notification) {
        case .success(let conversation): run = await SMTPClient.deliver(conversation, to: endpoint)
        case .failure(let error): return .failed(error, retryAfter: nil)
        }
        guard case .failed(var error, let retryAfter) = run.result else { return run.result }
        if let password = run.conversation.settings.credentials?.password, !password.isEmpty {
            error.message = error.message.replacing(password, with: "<password>")
        }
        return .failed(error, retryAfter: retryAfter)
    }

    /// The conversation that sends `notification`; a password file that cannot be read is a
    /// configuration error.
    package func conversation(for notification: Notification) -> Result<SMTPConversation, DeliveryError> {
        var credentials: SMTPCredentials?
        if let username = email.authUsername {
            var password = email.authPassword ?? ""
            if let file = email.authPasswordFile {
                guard let text = SecretFile.read(file) else {
                    return .failure(
                        DeliveryError(.configuration, "receiver \(receiver): cannot read auth_password_file \(file)"))
                }
                password = text
            }
            credentials = SMTPCredentials(username: username, password: password)
        }
        let message = renderer.message(for: notification, now: clock.nowMilliseconds())
        let bytes = EmailMessage(from: email.from, to: email.to, html: email.html).render(
            notification, message: message)
        let settings = SMTPConversation.Settings(
            hello: email.hello, from: email.from.address, recipients: email.to.map(\.address),
            credentials: credentials, requireStartTLS: email.requireTLS && !email.implicitTLS,
            encrypted: email.implicitTLS, allowsUnencryptedAuth: endpoint.isLoopback, target: endpoint.target)
        return .success(SMTPConversation(settings: settings, message: bytes))
    }
}
