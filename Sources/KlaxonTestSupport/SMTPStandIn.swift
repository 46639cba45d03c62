import Foundation
import Synchronization

/// One message an `SMTPStandIn` accepted.
package struct SMTPStandInMessage: Sendable, Equatable {
    /// The `MAIL FROM` address.
    package var from: String
    /// The `RCPT TO` addresses.
    package var recipients: [String]
    /// The DATA payload as it came over the wire (dot-stuffed, with the terminating `.` line).
    package var wire: [UInt8]
    /// The message as the server stores it: dots undone, terminator removed.
    package var data: [UInt8]
    /// The AUTH mechanism and user name used on the connection, if any.
    package var authMechanism: String?
    package var authUsername: String?
    package var authPassword: String?

    /// The message as UTF-8 text.
    package var text: String { String(decoding: data, as: UTF8.self) }
}

/// A plain-TCP SMTP relay on 127.0.0.1 (a free port) standing in for a real one: it records every
/// command and accepted message, and answers as its mode says (`.fail(status:)` answers MAIL FROM
/// with that code, `.throttle` with a 451 naming the seconds, `.hang` withholds the greeting until
/// `release()`). It offers `AUTH PLAIN LOGIN` and accepts `credentials` when set.
package final class SMTPStandIn: Sendable {
    private let listener: Int32
    package let port: Int
    private let credentials: (username: String, password: String)?
    private let state = Mutex<State>(State())
    private let gate = DispatchSemaphore(value: 0)

    private struct State {
        var mode: StandInMode = .ok
        var messages: [SMTPStandInMessage] = []
        var commands: [String] = []
        var connections: Set<Int32> = []
        var released = false
        var hung = 0
        var stopped = false
    }

    /// Starts listening; `credentials` make AUTH check the user name and password (else any pass).
    package init(credentials: (username: String, password: String)? = nil) throws {
        self.credentials = credentials
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError.system("socket", errno) }
        var address = LoopbackAddress.make(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && Glibc.listen(fd, 16) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound else {
            close(fd)
            throw SocketError.system("bind 127.0.0.1:0", errno)
        }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    // MARK: - Test controls

    /// Answers the following conversations as `mode` says.
    package func setMode(_ mode: StandInMode) {
        state.withLock { $0.mode = mode }
    }

    /// Every accepted message, oldest first.
    package var messages: [SMTPStandInMessage] { state.withLock { $0.messages } }

    /// Every command line received, in order (AUTH responses included, as sent).
    package var commands: [String] { state.withLock { $0.commands } }

    /// How many connections wait for a greeting that `.hang` withholds.
    package var hangingCount: Int { state.withLock { $0.hung } }

    /// Lets hung connections go on (they get the greeting) and stops hanging new ones.
    package func release() {
        let count = state.withLock { state in
            state.released = true
            defer { state.hung = 0 }
            return state.hung
        }
        for _ in 0..<count { gate.signal() }
    }

    /// Releases hung connections, closes every connection and stops listening.
    package func stop() {
        release()
        let open = state.withLock { state in
            state.stopped = true
            return state.connections
        }
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
        shutdown(listener, Int32(SHUT_RDWR))
    }

    deinit {
        close(listener)
    }

    // MARK: - Serving

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            let accepted = state.withLock { state in
                guard !state.stopped else { return false }
                state.connections.insert(fd)
                return true
            }
            guard accepted else {
                close(fd)
                return
            }
            let thread = Thread { [self] in
                var session = Session(fd: fd)
                serve(&session)
                state.withLock { _ = $0.connections.remove(fd) }
                close(fd)
            }
            thread.start()
        }
    }

    private struct Session {
        let fd: Int32
        var buffer: [UInt8] = []
        var from: String?
        var recipients: [String] = []
        var mechanism: String?
        var username: String?
        var password: String?

        init(fd: Int32) {
            self.fd = fd
        }

        mutating func line() -> String? {
            while true {
                if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    var line = Array(buffer[..<newline])
                    buffer.removeFirst(newline + 1)
                    if line.last == UInt8(ascii: "\r") { line.removeLast() }
                    return String(decoding: line, as: UTF8.self)
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard count > 0 else { return nil }
                buffer += chunk.prefix(count)
            }
        }

        func reply(_ text: String) {
            let bytes = Array((text + "\r\n").utf8)
            _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
    }

    private func serve(_ session: inout Session) {
        let mustWait = state.withLock { state in
            let wait = state.mode == .hang && !state.released
            if wait { state.hung += 1 }
            return wait
        }
        if mustWait { gate.wait() }
        session.reply("220 standin.klaxon.invalid ESMTP stand-in")
        while let line = session.line() {
            state.withLock { $0.commands.append(line) }
            let upper = line.uppercased()
            let argument = line.split(separator: " ", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            if upper.hasPrefix("EHLO") {
                session.reply("250-standin.klaxon.invalid\r\n250-AUTH PLAIN LOGIN\r\n250-8BITMIME\r\n250 SIZE 1048576")
            } else if upper.hasPrefix("HELO") || upper == "NOOP" || upper == "RSET" {
                session.reply("250 OK")
            } else if upper.hasPrefix("AUTH ") {
                authenticate(argument, &session)
            } else if upper.hasPrefix("MAIL FROM:") {
                switch state.withLock({ $0.mode }) {
                case .fail(let status): session.reply("\(status) 5.7.1 refused by the stand-in")
                case .throttle(let seconds): session.reply("451 4.7.1 rate limited, try again in \(seconds) seconds")
                case .ok, .hang:
                    session.from = Self.address(line)
                    session.recipients = []
                    session.reply("250 2.1.0 OK")
                }
            } else if upper.hasPrefix("RCPT TO:") {
                session.recipients.append(Self.address(line))
                session.reply("250 2.1.5 OK")
            } else if upper == "DATA" {
                receiveData(&session)
            } else if upper == "QUIT" {
                session.reply("221 2.0.0 Bye")
                return
            } else {
                session.reply("502 5.5.2 command not recognized")
            }
        }
    }

    private func receiveData(_ session: inout Session) {
        guard let from = session.from, !session.recipients.isEmpty else {
            session.reply("503 5.5.1 MAIL FROM and RCPT TO first")
            return
        }
        session.reply("354 End data with <CR><LF>.<CR><LF>")
        var wire: [UInt8] = []
        var data: [UInt8] = []
        while let line = session.line() {
            wire += Array(line.utf8) + [13, 10]
            if line == "." { break }
            data += Array((line.hasPrefix(".") ? String(line.dropFirst()) : line).utf8) + [13, 10]
        }
        let message = SMTPStandInMessage(
            from: from, recipients: session.recipients, wire: wire, data: data, authMechanism: session.mechanism,
            authUsername: session.username, authPassword: session.password)
        state.withLock { $0.messages.append(message) }
        session.from = nil
        session.recipients = []
        session.reply("250 2.0.0 OK queued")
    }

    private func authenticate(_ argument: String, _ session: inout Session) {
        let words = argument.split(separator: " ").map(String.init)
        let mechanism = words.first?.uppercased() ?? ""
        var username = ""
        var password = ""
        switch mechanism {
        case "PLAIN":
            var response = words.count > 1 ? words[1] : nil
            if response == nil {
                session.reply("334 ")
                response = session.line()
            }
            let parts = Self.decode(response ?? "").split(separator: 0, omittingEmptySubsequences: false)
            guard parts.count == 3 else {
                session.reply("501 5.5.2 malformed AUTH PLAIN")
                return
            }
            username = String(decoding: parts[1], as: UTF8.self)
            password = String(decoding: parts[2], as: UTF8.self)
        case "LOGIN":
            session.reply("334 VXNlcm5hbWU6")
            username = String(decoding: Self.decode(session.line() ?? ""), as: UTF8.self)
            session.reply("334 UGFzc3dvcmQ6")
            password = String(decoding: Self.decode(session.line() ?? ""), as: UTF8.self)
        default:
            session.reply("504 5.5.4 mechanism not supported")
            return
        }
        if let credentials, credentials.username != username || credentials.password != password {
            session.reply("535 5.7.8 authentication credentials invalid")
            return
        }
        session.mechanism = mechanism
        session.username = username
        session.password = password
        session.reply("235 2.7.0 authentication succeeded")
    }

    private static func address(_ line: String) -> String {
        guard let open = line.firstIndex(of: "<"), let close = line.lastIndex(of: ">"), open < close else { return "" }
        return String(line[line.index(after: open)..<close])
    }

    private static func decode(_ base64: String) -> [UInt8] {
        Data(base64Encoded: base64).map { Array($0) } ?? []
    }
}
