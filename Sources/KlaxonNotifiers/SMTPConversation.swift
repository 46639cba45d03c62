import KlaxonRouting

/// A user name and password for SMTP AUTH; never printed (its description hides the password).
package struct SMTPCredentials: Sendable, Equatable, CustomStringConvertible {
    package var username: String
    package var password: String

    package init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    package var description: String { "\(username):<password>" }
}

/// What the connection must do next for an `SMTPConversation`.
package enum SMTPAction: Sendable, Equatable {
    /// Write these bytes, then read the next reply (unless a `finish` follows).
    case send([UInt8])
    /// Run the TLS handshake on the connection now, then call `tlsEstablished()`.
    case startTLS
    /// The conversation is over with this outcome; close the connection.
    case finish(DeliveryResult)
}

/// One message's SMTP conversation with a relay (RFC 5321), as a pure state machine: replies in,
/// actions out. The caller owns the socket and the TLS session, and reads one reply per `send`.
///
/// Greeting, EHLO (HELO when EHLO is refused), STARTTLS when the policy asks for it, EHLO again,
/// AUTH PLAIN or LOGIN when credentials are set, MAIL FROM, one RCPT TO per recipient, DATA, the
/// dot-stuffed message, QUIT. The message is delivered once the relay answers 250 to its end.
package struct SMTPConversation: Sendable {
    /// The conversation's settings.
    package struct Settings: Sendable, Equatable {
        /// The EHLO name.
        package var hello: String
        /// The envelope sender (`MAIL FROM`), an address without angle brackets.
        package var from: String
        /// The envelope recipients (`RCPT TO`).
        package var recipients: [String]
        /// AUTH credentials; nil for none.
        package var credentials: SMTPCredentials?
        /// STARTTLS before anything else is sent (`require_tls`); the relay must offer it.
        package var requireStartTLS: Bool
        /// The connection is encrypted from the start (implicit TLS, port 465).
        package var encrypted: Bool
        /// AUTH is allowed without TLS (the relay is on the loopback interface, as Go's `PlainAuth` allows).
        package var allowsUnencryptedAuth: Bool
        /// What errors call the relay: `SMTP relay at host:port`.
        package var target: String

        package init(
            hello: String, from: String, recipients: [String], credentials: SMTPCredentials?,
            requireStartTLS: Bool, encrypted: Bool, allowsUnencryptedAuth: Bool, target: String
        ) {
            self.hello = hello
            self.from = from
            self.recipients = recipients
            self.credentials = credentials
            self.requireStartTLS = requireStartTLS
            self.encrypted = encrypted
            self.allowsUnencryptedAuth = allowsUnencryptedAuth
            self.target = target
        }
    }

    /// Where the conversation stands: which reply it waits for.
    package enum Stage: Sendable, Equatable {
        case greeting
        case ehlo
        case helo
        case startTLS
        case handshake
        case authPlain
        case authLoginUsername
        case authLoginPassword
        case authLoginDone
        case mailFrom
        case recipient(Int)
        case data
        case message
        case done
    }

    package let settings: Settings
    private let payload: [UInt8]
    package private(set) var stage: Stage = .greeting
    /// True once the connection is encrypted (implicitly, or after STARTTLS).
    package private(set) var encrypted: Bool
    /// True once TLS was started with STARTTLS (for the caller's checks and the tests).
    package private(set) var usedStartTLS = false
    /// What the last EHLO offered.
    package private(set) var capabilities = SMTPCapabilities()
    /// The AUTH mechanism used, once authenticated.
    package private(set) var authenticatedWith: String?

    /// A conversation to send `message` (the whole RFC 5322 message; stuffed here).
    package init(settings: Settings, message: [UInt8]) {
        self.settings = settings
        encrypted = settings.encrypted
        payload = SMTPData.stuffed(message)
    }

    /// The next actions after `reply`, the answer to what was sent last (or the greeting).
    package mutating func receive(_ reply: SMTPReply) -> [SMTPAction] {
        switch stage {
        case .greeting:
            guard reply.code == 220 else { return fail(reply, "to the connection") }
            return sendCommand("EHLO \(settings.hello)", then: .ehlo)
        case .ehlo:
            if reply.code == 250 {
                capabilities = SMTPCapabilities(ehlo: reply)
                return afterHello()
            }
            // A server that does not know EHLO says 500/502; HELO still works (no extensions).
            guard reply.code == 500 || reply.code == 502, !usedStartTLS else { return fail(reply, "to EHLO") }
            return sendCommand("HELO \(settings.hello)", then: .helo)
        case .helo:
            guard reply.code == 250 else { return fail(reply, "to HELO") }
            capabilities = SMTPCapabilities()
            return afterHello()
        case .startTLS:
            guard reply.code == 220 else { return fail(reply, "to STARTTLS") }
            stage = .handshake
            return [.startTLS]
        case .handshake:
            return finishWith(.network, "\(settings.target) sent a reply during the TLS handshake")
        case .authPlain, .authLoginDone:
            guard reply.code == 235 else { return fail(reply, "to AUTH", authentication: true) }
            return mailFrom()
        case .authLoginUsername:
            guard reply.code == 334, let credentials = settings.credentials else {
                return fail(reply, "to AUTH LOGIN", authentication: true)
            }
            stage = .authLoginPassword
            return [.send(Array((Base64.encode(Array(credentials.username.utf8)) + "\r\n").utf8))]
        case .authLoginPassword:
            guard reply.code == 334, let credentials = settings.credentials else {
                return fail(reply, "to the AUTH LOGIN username", authentication: true)
            }
            stage = .authLoginDone
            return [.send(Array((Base64.encode(Array(credentials.password.utf8)) + "\r\n").utf8))]
        case .mailFrom:
            guard reply.code == 250 else { return fail(reply, "to MAIL FROM") }
            return recipient(0)
        case .recipient(let index):
            guard reply.code == 250 || reply.code == 251 else { return fail(reply, "to RCPT TO") }
            return recipient(index + 1)
        case .data:
            guard reply.code == 354 else { return fail(reply, "to DATA") }
            stage = .message
            return [.send(payload)]
        case .message:
            guard reply.code == 250 else { return fail(reply, "to the end of the message") }
            stage = .done
            return [.send(Array("QUIT\r\n".utf8)), .finish(.delivered)]
        case .done:
            return []
        }
    }

    /// The TLS handshake after STARTTLS succeeded: greet again, since what the server offers may change.
    package mutating func tlsEstablished() -> [SMTPAction] {
        guard stage == .handshake else { return [] }
        encrypted = true
        usedStartTLS = true
        return sendCommand("EHLO \(settings.hello)", then: .ehlo)
    }

    // MARK: - Steps

    private mutating func afterHello() -> [SMTPAction] {
        if settings.requireStartTLS, !encrypted {
            guard capabilities.startTLS else {
                return finishWith(
                    .configuration,
                    "\(settings.target) does not offer STARTTLS and require_tls is on; "
                        + "set require_tls: false only for a relay on a trusted network")
            }
            return sendCommand("STARTTLS", then: .startTLS)
        }
        guard let credentials = settings.credentials else { return mailFrom() }
        guard encrypted || settings.allowsUnencryptedAuth else {
            return finishWith(
                .configuration,
                "\(settings.target): refusing to send the password over an unencrypted connection; "
                    + "use require_tls: true or implicit TLS (port 465)")
        }
        let mechanisms = capabilities.authMechanisms
        if mechanisms.contains("PLAIN") {
            let response = Base64.encode(
                [0] + Array(credentials.username.utf8) + [0] + Array(credentials.password.utf8))
            authenticatedWith = "PLAIN"
            stage = .authPlain
            return [.send(Array("AUTH PLAIN \(response)\r\n".utf8))]
        }
        if mechanisms.contains("LOGIN") {
            authenticatedWith = "LOGIN"
            return sendCommand("AUTH LOGIN", then: .authLoginUsername)
        }
        let offered = mechanisms.isEmpty ? "none" : mechanisms.sorted().joined(separator: " ")
        return finishWith(
            .configuration,
            "\(settings.target) offers no AUTH PLAIN or LOGIN (offered: \(offered)) but auth_username is set")
    }

    private mutating func mailFrom() -> [SMTPAction] {
        // The relay would refuse it after the whole message went over the wire (RFC 1870).
        if let limit = capabilities.maxSize, payload.count > limit {
            return finishWith(
                .rejected, "\(settings.target) accepts messages up to \(limit) bytes; this one has \(payload.count)")
        }
        return sendCommand("MAIL FROM:<\(settings.from)>", then: .mailFrom)
    }

    private mutating func recipient(_ index: Int) -> [SMTPAction] {
        guard index < settings.recipients.count else { return sendCommand("DATA", then: .data) }
        return sendCommand("RCPT TO:<\(settings.recipients[index])>", then: .recipient(index))
    }

    private mutating func sendCommand(_ command: String, then next: Stage) -> [SMTPAction] {
        stage = next
        return [.send(Array((command + "\r\n").utf8))]
    }

    // MARK: - Failures

    /// A refusal: 4xx is transient (retried with backoff); 5xx is final, and a 5xx to AUTH means
    /// the credentials are wrong (a configuration error). QUIT is sent either way.
    private mutating func fail(_ reply: SMTPReply, _ context: String, authentication: Bool = false) -> [SMTPAction] {
        let errorClass: DeliveryErrorClass =
            reply.isTransient ? .serverError : authentication && reply.code >= 500 ? .configuration : .rejected
        let what = reply.isPositive ? "unexpectedly answered" : "answered"
        return finishWith(errorClass, "\(settings.target) \(what) \(reply.summary) \(context)")
    }

    private mutating func finishWith(_ errorClass: DeliveryErrorClass, _ message: String) -> [SMTPAction] {
        // During the handshake the connection speaks TLS records, not commands.
        let quit = stage == .handshake ? [] : [SMTPAction.send(Array("QUIT\r\n".utf8))]
        stage = .done
        return quit + [.finish(.failed(DeliveryError(errorClass, message), retryAfter: nil))]
    }
}
