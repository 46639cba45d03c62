import Foundation
import Glibc

/// A blocking loopback TCP connection for tests that speak raw bytes to the server.
/// Every read gives up after `timeoutSeconds`, so a broken server fails the test instead of hanging it.
final class RawConnection {
    let fd: Int32
    private var isOpen = true
    private var pending: [UInt8] = []

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// A parsed response as seen on the wire.
    struct Response {
        var statusCode: Int
        var head: String
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }

        func header(_ name: String) -> String? {
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                if parts.count == 2, parts[0].lowercased() == name.lowercased() {
                    return parts[1].trimmingCharacters(in: .whitespaces)
                }
            }
            return nil
        }
    }

    init(port: Int, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            Glibc.close(fd)
            throw Failure(description: "connect to 127.0.0.1:\(port) failed: errno \(errno)")
        }
    }

    deinit { close() }

    /// Closes our end (the server then sees EOF at once instead of lingering).
    func close() {
        guard isOpen else { return }
        isOpen = false
        Glibc.close(fd)
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress.map { $0 + offset }, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw Failure(description: "send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Reads more bytes into the pending buffer; false at EOF (or reset).
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count > 0 {
            pending.append(contentsOf: chunk[0..<count])
            return true
        }
        if count == 0 || errno == ECONNRESET { return false }
        throw Failure(description: "recv failed or timed out: errno \(errno)")
    }

    /// Reads one response framed by Content-Length (the server always sends it).
    func readResponse() throws -> Response {
        var headEnd: Range<Int>?
        while headEnd == nil {
            headEnd = pending.firstRange(of: Array("\r\n\r\n".utf8))
            if headEnd == nil, try !fill() {
                throw Failure(description: "connection closed before a response head; got \(pending.count) bytes")
            }
        }
        guard let end = headEnd else { throw Failure(description: "unreachable") }
        let head = String(decoding: pending[..<end.lowerBound], as: UTF8.self)
        var response = Response(statusCode: 0, head: head, body: [])
        response.statusCode = Int(head.split(separator: " ").dropFirst().first ?? "") ?? 0
        let length = response.statusCode == 100 ? 0 : Int(response.header("Content-Length") ?? "0") ?? 0
        while pending.count - end.upperBound < length {
            guard try fill() else {
                throw Failure(description: "connection closed before a full body; got \(pending.count) bytes")
            }
        }
        response.body = Array(pending[end.upperBound..<(end.upperBound + length)])
        pending.removeSubrange(..<(end.upperBound + length))
        return response
    }

    /// True when no byte (and no end of stream) has arrived yet: the server has not answered.
    func nothingReceived() -> Bool {
        guard pending.isEmpty else { return false }
        var byte: UInt8 = 0
        let count = recv(fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
        return count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)
    }

    /// Waits for the server to close the connection; returns the bytes that came before.
    func readUntilClosed() throws -> [UInt8] {
        while try fill() {}
        defer { pending = [] }
        return pending
    }
}
