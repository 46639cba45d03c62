import Foundation

/// What a raw read collected, and why it stopped.
package struct RawTCPReadResult: Sendable {
    /// Why reading stopped.
    package enum Ending: Sendable, Equatable {
        /// The peer closed its side (read returned 0).
        case closedByPeer
        /// The peer reset the connection.
        case reset
        /// The stop condition held (see `readUntil`).
        case conditionMet
        /// The timeout passed with the connection still open.
        case timedOut
    }

    /// The bytes received, in order.
    package var bytes: [UInt8]
    /// Why reading stopped.
    package var ending: Ending

    /// The bytes as UTF-8 text (invalid sequences replaced), for assertions on HTTP responses.
    package var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// A TCP connection to 127.0.0.1 that sends exactly the bytes a test gives it.
///
/// For requests a well-behaved client would never send: malformed, oversized, trickled slowly,
/// or cut off halfway. Reads run on a thread of their own so they never block the test's executor.
package final class RawTCPConnection {
    private let descriptor: Int32
    private var closed = false

    /// Connects to `127.0.0.1:port`.
    package init(port: UInt16) throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError.system("socket", errno) }
        var address = LoopbackAddress.make(port: port)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(descriptor)
            throw SocketError.system("connect 127.0.0.1:\(port)", code)
        }
        self.descriptor = descriptor
    }

    deinit {
        close()
    }

    // MARK: - Writing

    /// Sends all of `bytes`; throws when the peer has gone (`EPIPE`, `ECONNRESET`).
    package func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { buffer in
                Glibc.send(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            }
            if sent < 0 {
                if errno == EINTR { continue }
                throw SocketError.system("send", errno)
            }
            offset += sent
        }
    }

    /// Sends `text` as UTF-8.
    package func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    /// Sends `bytes` in pieces of `chunkSize` with `interval` between them, as a slow client (or
    /// a slowloris attack) does. Throws as soon as the peer has closed the connection.
    package func trickle(_ bytes: [UInt8], chunkSize: Int = 1, interval: Duration) async throws {
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + max(chunkSize, 1), bytes.count)
            try send(Array(bytes[offset..<end]))
            offset = end
            if offset < bytes.count {
                // Pacing is the point here: the delay is what the server under test must survive.
                try await Task.sleep(for: interval)
            }
        }
    }

    /// Closes the sending side, as a client does after its last request.
    package func shutdownWrite() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Closes the connection; later calls do nothing.
    package func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(descriptor)
    }

    // MARK: - Reading

    /// True when no byte, and no end of stream, has arrived yet: the server has not answered.
    package func receivedNothingYet() -> Bool {
        var byte: UInt8 = 0
        let count = recv(descriptor, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
        return count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
    }

    /// Reads until the peer closes the connection or `timeout` passes.
    package func readUntilClose(timeout: Duration = .seconds(5)) async -> RawTCPReadResult {
        await readUntil(timeout: timeout) { _ in false }
    }

    /// Reads until `done` holds for the bytes so far, the peer closes, or `timeout` passes.
    package func readUntil(
        timeout: Duration = .seconds(5),
        _ done: @escaping @Sendable ([UInt8]) -> Bool
    ) async -> RawTCPReadResult {
        let descriptor = descriptor
        return await withCheckedContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(returning: Self.blockingRead(descriptor, timeout: timeout, done: done))
            }
        }
    }

    private static func blockingRead(
        _ descriptor: Int32,
        timeout: Duration,
        done: ([UInt8]) -> Bool
    ) -> RawTCPReadResult {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let left = clock.now.duration(to: deadline)
            guard left > .zero else { return RawTCPReadResult(bytes: received, ending: .timedOut) }
            let (seconds, attoseconds) = left.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&request, 1, milliseconds)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { continue }
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return RawTCPReadResult(bytes: received, ending: .reset)
            }
            if count == 0 {
                return RawTCPReadResult(bytes: received, ending: .closedByPeer)
            }
            received.append(contentsOf: chunk[0..<count])
            if done(received) {
                return RawTCPReadResult(bytes: received, ending: .conditionMet)
            }
        }
    }

    // MARK: - One-shot

    /// Connects, sends `bytes`, and reads until the peer closes or `timeout` passes.
    package static func exchange(
        port: UInt16,
        sending bytes: [UInt8],
        timeout: Duration = .seconds(5)
    ) async throws -> RawTCPReadResult {
        let connection = try RawTCPConnection(port: port)
        defer { connection.close() }
        try connection.send(bytes)
        return await connection.readUntilClose(timeout: timeout)
    }
}
