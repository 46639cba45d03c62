import Foundation

/// One message the real SMTP relay (aiosmtpd) accepted.
package struct SMTPPeerMessage: Sendable, Equatable {
    package var from: String
    package var recipients: [String]
    /// The message as the relay stored it (dot-stuffing undone).
    package var content: [UInt8]
    /// The conversation was encrypted (STARTTLS or implicit TLS).
    package var tls: Bool
    /// The AUTH mechanism the client used and the user it logged in as.
    package var authMechanism: String?
    package var authUser: String?

    /// The content as UTF-8 text.
    package var text: String { String(decoding: content, as: UTF8.self) }
}

/// Runs `Tests/Peers/smtpd.py`: Python's aiosmtpd on 127.0.0.1 requiring STARTTLS (or speaking
/// implicit TLS) and AUTH, with a self-signed certificate made by `openssl` for `localhost` and
/// 127.0.0.1 that tests trust through `caFile`.
package final class SMTPPeer: Sendable {
    package let port: Int
    /// The certificate, for the receiver's `tls.ca_file`.
    package let caFile: String
    package let username: String
    package let password: String
    private let process: PeerProcess
    private let directory: URL

    /// Whether tests needing aiosmtpd and openssl should run (they are installed, or peers are required).
    package static var shouldRun: Bool {
        Executables.peersRequired || (available && Executables.find("openssl") != nil)
    }

    /// Whether `python3 -c 'import aiosmtpd'` succeeds; computed once.
    package static let available: Bool = {
        guard let python = Executables.path(of: .python3) else { return false }
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", "import aiosmtpd"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }()

    /// Makes the certificate (for `certificateNames`, OpenSSL's subjectAltName syntax), starts the
    /// relay on a free port and waits until it listens. `onlyLogin` offers AUTH LOGIN alone.
    package init(
        implicitTLS: Bool = false, onlyLogin: Bool = false, certificateNames: String = "DNS:localhost,IP:127.0.0.1",
        username: String = "klaxon", password: String = "s3cret pass"
    ) async throws {
        guard Self.available else { throw MissingExecutableError(name: "aiosmtpd (pip install aiosmtpd)") }
        guard let openssl = Executables.find("openssl") else { throw MissingExecutableError(name: "openssl") }
        let python = try Executables.require(.python3)
        let directory = try PeerDirectories.make(for: "smtpd")
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let maker = try PeerProcess(
            executable: openssl,
            arguments: [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2",
                "-subj", "/CN=klaxon test relay", "-addext", "subjectAltName=\(certificateNames)",
            ])
        guard try await maker.waitForExit(timeout: .seconds(60)) == .exited(0) else {
            throw SMTPPeerError(message: "openssl could not make a certificate:\n\(maker.outputForDiagnosis)")
        }
        let inbox = directory.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let port = Int(try FreePort.next())
        let script = Executables.packageRoot.appendingPathComponent("Tests/Peers/smtpd.py").path
        var arguments = [
            script, "--port", String(port), "--cert", certificate, "--key", key, "--out", inbox.path, "--user",
            username,
            "--password", password,
        ]
        if implicitTLS { arguments.append("--implicit-tls") }
        if onlyLogin { arguments.append("--only-login") }
        let process = try PeerProcess(executable: python, arguments: arguments)
        try await waitUntil("aiosmtpd to listen on 127.0.0.1:\(port)") {
            if let status = process.exitStatus {
                throw PeerStartError(name: "aiosmtpd", status: status, output: process.outputForDiagnosis)
            }
            return process.standardOutput.contains("READY")
        }
        self.port = port
        self.caFile = certificate
        self.username = username
        self.password = password
        self.process = process
        self.directory = directory
        _ = inbox
    }

    /// Every message accepted so far, in order.
    package func messages() throws -> [SMTPPeerMessage] {
        let inbox = directory.appendingPathComponent("inbox")
        let names = try FileManager.default.contentsOfDirectory(atPath: inbox.path)
            .filter { $0.hasSuffix(".json") }.sorted()
        return try names.map { name in
            let data = try Data(contentsOf: inbox.appendingPathComponent(name))
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
                let from = object["mail_from"] as? String, let recipients = object["rcpt_tos"] as? [String],
                let content = (object["content"] as? String).flatMap({ Data(base64Encoded: $0) }),
                let tls = object["tls"] as? Bool
            else { throw SMTPPeerError(message: "unreadable message record \(name)") }
            return SMTPPeerMessage(
                from: from, recipients: recipients, content: Array(content), tls: tls,
                authMechanism: object["auth_mechanism"] as? String, authUser: object["auth_user"] as? String)
        }
    }

    /// What the relay printed, for a failing test's message.
    package var outputForDiagnosis: String { process.outputForDiagnosis }

    /// Stops the relay (by its pid) and removes its files.
    package func stop() async throws {
        try await process.stop()
        PeerDirectories.remove(directory)
    }
}

/// The SMTP peer's setup failed (certificate, records).
package struct SMTPPeerError: Error, CustomStringConvertible {
    package let message: String

    package var description: String { message }
}
