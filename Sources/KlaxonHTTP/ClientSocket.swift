import Glibc

/// A connected non-blocking TCP socket whose reads and writes wait with `poll` until a deadline.
struct ClientSocket {
    let fd: Int32
    let peer: String

    /// Connects to the first address of `host:port` that answers before `deadline` (monotonic ms).
    static func connect(host: String, port: Int, deadline: Int64) throws(HTTPClientError) -> ClientSocket {
        let peer = "\(host):\(port)"
        let addresses: [SocketAddress.Resolved]
        do {
            addresses = try SocketAddress.resolve(host: host, port: port, passive: false)
        } catch {
            throw HTTPClientError(error.description)
        }
        var lastError = "no address"
        for var address in addresses {
            let fd = socket(address.family, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { continue }
            do throws(SocketError) {
                try SystemCall.makeNonBlocking(fd)
                let length = address.length
                let result = withUnsafePointer(to: &address.storage) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
                }
                if result < 0 {
                    guard errno == EINPROGRESS || errno == EINTR else { throw .fromErrno("connect to \(peer)") }
                    let socket = ClientSocket(fd: fd, peer: peer)
                    guard socket.wait(for: Int16(POLLOUT), deadline: deadline) else {
                        throw SocketError(operation: "connect to \(peer)", code: ETIMEDOUT, reason: "timed out")
                    }
                    var status: Int32 = 0
                    var size = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(fd, SOL_SOCKET, SO_ERROR, &status, &size)
                    if status != 0 { throw .fromErrno("connect to \(peer)", status) }
                }
                return ClientSocket(fd: fd, peer: peer)
            } catch {
                lastError = error.description
                Glibc.close(fd)
            }
        }
        throw HTTPClientError(lastError)
    }

    func close() { Glibc.close(fd) }

    /// Waits until `events` are ready; false when the deadline passed.
    func wait(for events: Int16, deadline: Int64) -> Bool {
        while true {
            let remaining = deadline - SystemCall.monotonicMilliseconds()
            guard remaining > 0 else { return false }
            var descriptor = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&descriptor, 1, Int32(clamping: remaining))
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }  // let the next call report the error
        }
    }

    func writeAll(_ bytes: [UInt8], deadline: Int64) throws(HTTPClientError) {
        var offset = 0
        while offset < bytes.count {
            let sent: Int?
            do {
                sent = try bytes.withUnsafeBytes { raw throws(SocketError) in
                    try SystemCall.nonBlocking("send to \(peer)") {
                        send(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL))
                    }
                }
            } catch {
                throw HTTPClientError("\(error)")
            }
            if let sent {
                offset += sent
            } else if !wait(for: Int16(POLLOUT), deadline: deadline) {
                throw HTTPClientError("Sending the request to \(peer) timed out.")
            }
        }
    }

    /// Reads what is available into `buffer`; 0 means the peer closed.
    func read(into buffer: inout [UInt8], deadline: Int64) throws(HTTPClientError) -> Int {
        while true {
            let received: Int?
            do {
                received = try buffer.withUnsafeMutableBytes { raw throws(SocketError) in
                    try SystemCall.nonBlocking("recv from \(peer)") { recv(fd, raw.baseAddress, raw.count, 0) }
                }
            } catch {
                throw HTTPClientError("\(error)")
            }
            if let received { return received }
            guard wait(for: Int16(POLLIN), deadline: deadline) else {
                throw HTTPClientError("Reading the response from \(peer) timed out.")
            }
        }
    }
}
