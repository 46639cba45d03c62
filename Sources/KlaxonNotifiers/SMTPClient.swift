import Foundation
import KlaxonRouting
import KlaxonRuntime

/// Where and how the SMTP client connects.
package struct SMTPEndpoint: Sendable, Equatable {
    package var host: String
    package var port: Int
    /// TLS from the first byte (port 465, "SMTPS") instead of STARTTLS.
    package var implicitTLS: Bool
    package var tls: TLSSettings
    /// For connecting and for each reply.
    package var timeoutMilliseconds: Int64

    package init(host: String, port: Int, implicitTLS: Bool, tls: TLSSettings, timeoutMilliseconds: Int64) {
        self.host = host
        self.port = port
        self.implicitTLS = implicitTLS
        self.tls = tls
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    /// What errors call the relay.
    package var target: String {
        host.contains(":") ? "SMTP relay at [\(host)]:\(port)" : "SMTP relay at \(host):\(port)"
    }

    /// The relay is on this machine, where AUTH without TLS reveals nothing (Go's `PlainAuth` rule).
    package var isLoopback: Bool {
        if host == "localhost" || host == "::1" { return true }
        var address = in_addr()
        // 127.0.0.0/8, written as an address (a host name such as 127.example.com does not count).
        return inet_pton(AF_INET, host, &address) == 1 && UInt32(bigEndian: address.s_addr) >> 24 == 127
    }

    /// The timeout as people read it: `300ms`, `10s`.
    var timeoutText: String {
        timeoutMilliseconds < 1000
            ? "\(max(1, timeoutMilliseconds))ms" : MessageFormat.duration(milliseconds: timeoutMilliseconds)
    }
}

/// Runs `SMTPConversation`s over `SMTPSocket`s, each on a thread of its own so the blocking
/// socket and TLS calls never hold a thread of Swift's cooperative pool.
package enum SMTPClient {
    /// What a run came to, and the conversation as it ended (for checks: TLS used, AUTH mechanism).
    package struct Run: Sendable {
        package var result: DeliveryResult
        package var conversation: SMTPConversation
    }

    /// Delivers one conversation's message; never throws, every failure is classified.
    package static func deliver(_ conversation: SMTPConversation, to endpoint: SMTPEndpoint) async -> Run {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: run(conversation, endpoint: endpoint))
            }
            thread.name = "klaxon-smtp"
            thread.start()
        }
    }

    /// The blocking conversation: connect, then a reply in and the conversation's actions out,
    /// until it finishes. Every step (connect, handshake, each reply) gets the endpoint's timeout.
    package static func run(_ start: SMTPConversation, endpoint: SMTPEndpoint) -> Run {
        var conversation = start
        let clock = SystemMonotonicClock()
        let target = endpoint.target
        func deadline() -> Int64 { clock.monotonicMilliseconds() &+ max(1, endpoint.timeoutMilliseconds) }
        func failed(_ error: DeliveryError) -> Run {
            Run(result: .failed(error, retryAfter: nil), conversation: conversation)
        }
        let socket: SMTPSocket
        do {
            socket = try SMTPSocket.connect(
                host: endpoint.host, port: endpoint.port, deadline: deadline(), target: target)
            if endpoint.implicitTLS {
                try socket.startTLS(endpoint.tls, serverName: endpoint.host, deadline: deadline())
            }
        } catch {
            return failed(error)
        }
        defer { socket.close() }
        var parser = SMTPReplyParser()
        while true {
            let reply: SMTPReply
            do {
                reply = try readReply(
                    &parser, socket: socket, deadline: deadline(), stage: conversation.stage,
                    timeout: endpoint.timeoutText)
            } catch {
                return failed(error)
            }
            var actions = conversation.receive(reply)[...]
            while let action = actions.popFirst() {
                switch action {
                case .send(let bytes):
                    do {
                        try socket.write(bytes, deadline: deadline())
                    } catch {
                        // A QUIT that cannot be written does not change a decided outcome.
                        if case .finish(let result) = actions.first {
                            return Run(result: result, conversation: conversation)
                        }
                        return failed(error)
                    }
                case .startTLS:
                    // Bytes after the 220 were sent before TLS: a man in the middle's injection.
                    guard parser.bufferedCount == 0 else {
                        return failed(DeliveryError(.network, "\(target) sent data after its 220 to STARTTLS"))
                    }
                    do {
                        try socket.startTLS(endpoint.tls, serverName: endpoint.host, deadline: deadline())
                    } catch {
                        return failed(error)
                    }
                    actions += conversation.tlsEstablished()
                case .finish(let result):
                    return Run(result: result, conversation: conversation)
                }
            }
        }
    }

    private static func readReply(
        _ parser: inout SMTPReplyParser, socket: SMTPSocket, deadline: Int64, stage: SMTPConversation.Stage,
        timeout: String
    ) throws(DeliveryError) -> SMTPReply {
        while true {
            do {
                if let reply = try parser.next() { return reply }
            } catch {
                throw DeliveryError(.network, "\(socket.target) is not speaking SMTP: \(error.message)")
            }
            let bytes: [UInt8]
            do {
                bytes = try socket.read(deadline: deadline)
            } catch {
                guard error.errorClass == .timeout else { throw error }
                throw DeliveryError(
                    .timeout, "\(socket.target): no reply within \(timeout) (waiting for \(waitingFor(stage)))")
            }
            guard !bytes.isEmpty else {
                throw DeliveryError(
                    .network, "\(socket.target) closed the connection (waiting for \(waitingFor(stage)))")
            }
            parser.append(bytes)
        }
    }

    /// The reply a stage waits for, in words.
    static func waitingFor(_ stage: SMTPConversation.Stage) -> String {
        switch stage {
        case .greeting: "the greeting"
        case .ehlo: "the reply to EHLO"
        case .helo: "the reply to HELO"
        case .startTLS: "the reply to STARTTLS"
        case .handshake: "the TLS handshake"
        case .authPlain, .authLoginUsername, .authLoginPassword, .authLoginDone: "the reply to AUTH"
        case .mailFrom: "the reply to MAIL FROM"
        case .recipient: "the reply to RCPT TO"
        case .data: "the reply to DATA"
        case .message: "the reply to the end of the message"
        case .done: "the reply to QUIT"
        }
    }
}
