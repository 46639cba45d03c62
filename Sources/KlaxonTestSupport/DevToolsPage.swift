import Foundation

/// One browser tab driven through the Chrome DevTools Protocol over its WebSocket: navigate,
/// evaluate an expression in the page, wait for the page to load, and see the events it sent.
///
/// Test-only and minimal: text frames out (masked, as a client must), text frames in, no
/// extensions. Messages are read on a thread of their own through `RawTCPConnection`.
package final class DevToolsPage {
    private let connection: RawTCPConnection
    /// Bytes read past the last whole frame.
    private var pending: [UInt8] = []
    private var nextID = 1
    /// Every event received so far (`{"method": …, "params": …}`), oldest first.
    package private(set) var events: [[String: Any]] = []

    /// Connects to the WebSocket at `path` (`/devtools/page/<id>`) on `127.0.0.1:port`.
    init(port: UInt16, path: String) async throws {
        connection = try RawTCPConnection(port: port)
        var key = [UInt8](repeating: 0, count: 16)
        for index in key.indices { key[index] = UInt8.random(in: 0...255) }
        try connection.send(
            "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: \(Data(key).base64EncodedString())\r\nSec-WebSocket-Version: 13\r\n\r\n")
        let separator = Array("\r\n\r\n".utf8)
        let result = await connection.readUntil(timeout: .seconds(10)) { bytes in
            bytes.indices.contains { bytes[$0...].starts(with: separator) }
        }
        guard let end = result.bytes.indices.first(where: { result.bytes[$0...].starts(with: separator) }),
            String(decoding: result.bytes[..<end], as: UTF8.self).hasPrefix("HTTP/1.1 101")
        else {
            throw DevToolsError("the DevTools WebSocket handshake failed: \(result.text.prefix(300))")
        }
        pending = Array(result.bytes[(end + separator.count)...])
    }

    deinit {
        connection.close()
    }

    // MARK: - Commands

    /// Sends `method` with `params` and returns the command's `result`; throws on its `error`.
    @discardableResult
    package func call(_ method: String, _ params: [String: Any] = [:], timeout: Duration = .seconds(20))
        async throws -> [String: Any]
    {
        let id = nextID
        nextID += 1
        let message = try JSONSerialization.data(withJSONObject: ["id": id, "method": method, "params": params])
        try connection.send(Self.frame(Array(message)))
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            let left = clock.now.duration(to: deadline)
            guard left > .zero else { throw DevToolsError("no answer to \(method) within \(timeout)") }
            let object = try await nextMessage(timeout: left)
            guard (object["id"] as? Int) == id else {
                if object["method"] != nil { events.append(object) }
                continue
            }
            if let error = object["error"] as? [String: Any] {
                throw DevToolsError("\(method) failed: \(error["message"] ?? error)")
            }
            return object["result"] as? [String: Any] ?? [:]
        }
    }

    /// Evaluates `expression` in the page and returns its value (JSON-compatible values only);
    /// throws when it throws.
    package func evaluate(_ expression: String) async throws -> Any? {
        let result = try await call(
            "Runtime.evaluate", ["expression": expression, "returnByValue": true, "awaitPromise": true])
        if let exception = result["exceptionDetails"] as? [String: Any] {
            throw DevToolsError("evaluating \(expression.prefix(80)) threw: \(exception["text"] ?? exception)")
        }
        return (result["result"] as? [String: Any])?["value"]
    }

    /// Runs `action` (a navigation, a click that submits a form) and waits for the page it leads
    /// to to fire its load event.
    package func loading(_ what: String, timeout: Duration = .seconds(20), _ action: () async throws -> Void)
        async throws
    {
        let seen = events.count
        try await action()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while !events[seen...].contains(where: { $0["method"] as? String == "Page.loadEventFired" }) {
            let left = clock.now.duration(to: deadline)
            guard left > .zero else { throw DevToolsError("\(what) did not load within \(timeout)") }
            let object = try await nextMessage(timeout: left)
            if object["method"] != nil { events.append(object) }
        }
    }

    /// Opens `url` in the tab and waits for it to load.
    package func navigate(_ url: String) async throws {
        try await loading(url) {
            let result = try await call("Page.navigate", ["url": url])
            if let error = result["errorText"] as? String { throw DevToolsError("navigating to \(url): \(error)") }
        }
    }

    /// The names of the events received so far.
    package var eventNames: [String] { events.compactMap { $0["method"] as? String } }

    // MARK: - Frames

    /// The next whole text message as a JSON object.
    private func nextMessage(timeout: Duration) async throws -> [String: Any] {
        while true {
            if let (opcode, payload, used) = Self.parseFrame(pending) {
                pending.removeFirst(used)
                switch opcode {
                case 0x1:
                    guard let object = try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any] else {
                        throw DevToolsError("a DevTools message is not a JSON object")
                    }
                    return object
                case 0x8:
                    throw DevToolsError("the browser closed the DevTools connection")
                case 0x9:
                    try connection.send(Self.frame(payload, opcode: 0xA))
                default:
                    continue
                }
                continue
            }
            let have = pending
            let result = await connection.readUntil(timeout: timeout) { bytes in
                Self.parseFrame(have + bytes) != nil
            }
            pending += result.bytes
            if Self.parseFrame(pending) == nil {
                guard result.ending == .timedOut else {
                    throw DevToolsError("the DevTools connection ended (\(result.ending))")
                }
                throw DevToolsError("no DevTools message within \(timeout)")
            }
        }
    }

    /// A whole unfragmented frame at the start of `bytes`: opcode, payload and bytes used.
    /// The browser sends its messages unmasked and in one frame each.
    static func parseFrame(_ bytes: [UInt8]) -> (opcode: UInt8, payload: [UInt8], used: Int)? {
        guard bytes.count >= 2 else { return nil }
        let opcode = bytes[0] & 0x0F
        let masked = bytes[1] & 0x80 != 0
        var length = Int(bytes[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard bytes.count >= 4 else { return nil }
            length = Int(bytes[2]) << 8 | Int(bytes[3])
            offset = 4
        } else if length == 127 {
            guard bytes.count >= 10 else { return nil }
            length = bytes[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        var mask: [UInt8] = []
        if masked {
            guard bytes.count >= offset + 4 else { return nil }
            mask = Array(bytes[offset..<offset + 4])
            offset += 4
        }
        guard length >= 0, bytes.count - offset >= length else { return nil }
        var payload = Array(bytes[offset..<offset + length])
        if masked {
            for index in payload.indices { payload[index] ^= mask[index % 4] }
        }
        return (opcode, payload, offset + length)
    }

    /// One final client frame: masked with a random key, as RFC 6455 requires of clients.
    static func frame(_ payload: [UInt8], opcode: UInt8 = 0x1) -> [UInt8] {
        var frame: [UInt8] = [0x80 | opcode]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            frame += (0..<8).reversed().map { UInt8((payload.count >> ($0 * 8)) & 0xFF) }
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        return frame
    }
}

/// The browser or its DevTools connection did not do what a test asked.
package struct DevToolsError: Error, CustomStringConvertible {
    package let description: String

    init(_ description: String) {
        self.description = description
    }
}
