import Foundation
import Glibc
import Testing

@testable import KlaxonHTTP

/// A listener that accepts one connection, reads the request head, writes `reply` (if any) and closes
/// once `release` is signalled (or at once when `holdOpen` is false).
private final class OneShotServer: @unchecked Sendable {
    // @unchecked: `fd` and `port` are set in init and only read afterwards; the thread owns the accepted socket.
    let fd: Int32
    let port: Int
    let release = DispatchSemaphore(value: 0)
    let done = DispatchSemaphore(value: 0)

    init(reply: [UInt8]?, holdOpen: Bool = false) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let fd = fd
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && listen(fd, 4) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard bound else { throw RawConnection.Failure(description: "test listener failed: errno \(errno)") }
        port = Int(UInt16(bigEndian: address.sin_port))
        let release = release
        let done = done
        Thread {
            let client = accept(fd, nil, nil)
            var head: [UInt8] = []
            var byte: UInt8 = 0
            while !head.suffix(4).elementsEqual("\r\n\r\n".utf8), recv(client, &byte, 1, 0) == 1 { head.append(byte) }
            if let reply { _ = reply.withUnsafeBytes { send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
            if holdOpen { release.wait() }
            Glibc.close(client)
            done.signal()
        }.start()
    }

    deinit {
        release.signal()
        done.wait()
        close(fd)
    }
}

@Suite(.serialized) struct HTTPClientTests {
    @Test func postsBodyAndReadsContentLengthResponse() throws {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), handler: HTTPServerTests.echoRouter())
        try server.start()
        defer { server.shutdown() }
        let port = try #require(server.port)
        let response = try HTTPClient().post("http://127.0.0.1:\(port)/echo", headers: ["X-A": "1"], body: Array("ping".utf8))
        #expect(response.status == .ok)
        #expect(response.text == "ping")
        #expect(try HTTPClient().get("http://localhost:\(port)/echo?q=%20").text == "/echo?q=%20")
    }

    @Test func readsChunkedResponseSkippingInterim100() throws {
        let reply = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "4\r\nsome\r\n5\r\nthing\r\n0\r\n\r\n"
        let server = try OneShotServer(reply: Array(reply.utf8))
        let response = try HTTPClient().get("http://127.0.0.1:\(server.port)/")
        #expect(response.text == "something")
    }

    @Test func readsBodyUntilCloseWithoutLength() throws {
        let server = try OneShotServer(reply: Array("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nall of it".utf8))
        let response = try HTTPClient().get("http://127.0.0.1:\(server.port)/")
        #expect(response.version == .http10)
        #expect(response.text == "all of it")
    }

    @Test func responseOverTheSizeLimitFails() throws {
        let server = try OneShotServer(reply: Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".utf8))
        #expect {
            try HTTPClient(maxResponseBytes: 10).get("http://127.0.0.1:\(server.port)/")
        } throws: { "\($0)".contains("exceeds the limit of 10 bytes") }
    }

    @Test func truncatedResponseFails() throws {
        let server = try OneShotServer(reply: Array("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort".utf8))
        #expect {
            try HTTPClient().get("http://127.0.0.1:\(server.port)/")
        } throws: { "\($0)".contains("before the response was complete") }
    }

    @Test func silentServerTimesOut() throws {
        let server = try OneShotServer(reply: nil, holdOpen: true)
        let started = ContinuousClock.now
        #expect {
            try HTTPClient(timeout: .milliseconds(200)).get("http://127.0.0.1:\(server.port)/")
        } throws: { "\($0)".contains("timed out") }
        #expect(ContinuousClock.now - started < .seconds(5))
    }

    @Test func refusedConnectionIsReported() throws {
        let port: Int
        do {
            let server = try OneShotServer(reply: nil)
            port = server.port
            _ = try? RawConnection(port: port)
        }
        #expect {
            try HTTPClient().get("http://127.0.0.1:\(port)/")
        } throws: { "\($0)".contains("connect to 127.0.0.1:\(port)") }
    }

    @Test(arguments: ["https://example.com/", "ftp://x/", "http:///path", "http://host:99999/", "http://u@host/"])
    func unsupportedURLsAreRejected(url: String) {
        #expect(throws: HTTPClientError.self) { try HTTPClient().get(url) }
    }
}
