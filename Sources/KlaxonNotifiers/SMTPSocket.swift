import Glibc
import KlaxonRouting
import KlaxonRuntime

/// A connected, non-blocking TCP socket to an SMTP relay, optionally wrapped in TLS, whose every
/// read, write and handshake waits with `poll` until a deadline (monotonic milliseconds).
///
/// Blocking by design: one conversation runs on a thread of its own (`SMTPClient`). Errors are
/// `DeliveryError`s naming `target` (host and port; never a credential).
final class SMTPSocket {
    private let fd: Int32
    /// What errors call the relay.
    let target: String
    private var tls: TLSSession?
    private let clock = SystemMonotonicClock()

    private init(fd: Int32, target: String) {
        self.fd = fd
        self.target = target
    }

    deinit {
        tls = nil
        Glibc.close(fd)
    }

    /// Connects to the first address of `host:port` that accepts before `deadline`.
    static func connect(host: String, port: Int, deadline: Int64, target: String) throws(DeliveryError) -> SMTPSocket {
        ProcessSignals.ignoreBrokenPipe()
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw DeliveryError(
                .network, "\(target): cannot resolve the host: \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(first) }
        var lastError = DeliveryError(.network, "\(target): no address to connect to")
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let current = node {
            node = current.pointee.ai_next
            let fd = socket(current.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { continue }
            let socket = SMTPSocket(fd: fd, target: target)
            do throws(DeliveryError) {
                try socket.connect(current.pointee.ai_addr, current.pointee.ai_addrlen, deadline: deadline)
                return socket
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    private func connect(_ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t, deadline: Int64)
        throws(DeliveryError)
    {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) >= 0, fcntl(fd, F_SETFD, FD_CLOEXEC) >= 0 else {
            throw systemError("set up the socket", errno)
        }
        if Glibc.connect(fd, address, length) < 0 {
            guard errno == EINPROGRESS || errno == EINTR else { throw systemError("connect", errno) }
            guard wait(for: Int16(POLLOUT), deadline: deadline) else {
                throw DeliveryError(.timeout, "\(target): connecting timed out")
            }
            var status: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &status, &size)
            if status != 0 { throw systemError("connect", status) }
        }
    }

    /// Wraps the connection in TLS (implicit TLS, or after `220` to STARTTLS) and verifies the peer.
    func startTLS(_ settings: TLSSettings, serverName: String, deadline: Int64) throws(DeliveryError) {
        let session = try TLSSession(fd: fd, settings: settings, serverName: serverName, target: target)
        try session.handshake { events throws(DeliveryError) in
            guard wait(for: events, deadline: deadline) else {
                throw DeliveryError(.timeout, "\(target): the TLS handshake timed out")
            }
        }
        tls = session
    }

    /// True once TLS is on.
    var encrypted: Bool { tls != nil }

    /// Writes all of `bytes` before `deadline`.
    func write(_ bytes: [UInt8], deadline: Int64) throws(DeliveryError) {
        var offset = 0
        while offset < bytes.count {
            let outcome: IOOutcome
            if let tls {
                outcome = try tls.write(bytes, from: offset)
            } else {
                let sent = bytes.withUnsafeBytes { raw in
                    send(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL))
                }
                if sent >= 0 {
                    outcome = .done(sent)
                } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                    outcome = .wait(Int16(POLLOUT))
                } else {
                    throw systemError("send", errno)
                }
            }
            switch outcome {
            case .done(let count): offset += count
            case .wait(let events):
                guard wait(for: events, deadline: deadline) else {
                    throw DeliveryError(.timeout, "\(target): sending timed out")
                }
            }
        }
    }

    /// Reads what is available (waiting until `deadline`); an empty array means the relay closed.
    func read(deadline: Int64) throws(DeliveryError) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let outcome: IOOutcome
            if let tls {
                outcome = try tls.read(into: &buffer)
            } else {
                let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if received >= 0 {
                    outcome = .done(received)
                } else if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR {
                    outcome = .wait(Int16(POLLIN))
                } else {
                    throw systemError("recv", errno)
                }
            }
            switch outcome {
            case .done(let count): return Array(buffer.prefix(count))
            case .wait(let events):
                guard wait(for: events, deadline: deadline) else {
                    throw DeliveryError(.timeout, "\(target): no reply in time")
                }
            }
        }
    }

    /// Ends TLS politely (best effort); the descriptor closes when the socket is released.
    func close() {
        tls?.shutdown()
    }

    /// Waits until `events` are ready; false when the deadline passed.
    private func wait(for events: Int16, deadline: Int64) -> Bool {
        while true {
            let remaining = deadline &- clock.monotonicMilliseconds()
            guard remaining > 0 else { return false }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(clamping: remaining))
            if ready > 0 { return true }
            // Let the next call report the error.
            if ready < 0 && errno != EINTR { return true }
        }
    }

    private func systemError(_ operation: String, _ code: Int32) -> DeliveryError {
        DeliveryError(.network, "\(target): \(operation) failed: \(String(cString: strerror(code)))")
    }
}

/// What one non-blocking read or write came to.
enum IOOutcome {
    /// This many bytes moved (0 on a read: the peer closed).
    case done(Int)
    /// Nothing yet: wait for these `poll` events and try again.
    case wait(Int16)
}
