import Foundation
import KlaxonTestSupport

/// A built `klaxon serve` started on a free port of 127.0.0.1, as an operator would start it.
final class KlaxonInstance: Sendable {
    /// The running process.
    let process: PeerProcess
    /// The port it listens on.
    let port: UInt16

    private init(process: PeerProcess, port: UInt16) {
        self.process = process
        self.port = port
    }

    /// Starts `klaxon serve --listen 127.0.0.1:PORT`, with `config` as its klaxon.yml when given,
    /// and waits until it has logged its start.
    static func start(config: String? = nil, environment: [String: String] = [:]) async throws -> KlaxonInstance {
        let port = try FreePort.next()
        var arguments = ["serve", "--listen", "127.0.0.1:\(port)"]
        if let config {
            let directory = try PeerDirectories.make(for: "klaxon-config")
            let file = directory.appendingPathComponent("klaxon.yml")
            try config.write(to: file, atomically: true, encoding: .utf8)
            arguments += ["--config", file.path]
        }
        let process = try PeerProcess(
            executable: Executables.requireKlaxon(), arguments: arguments, environment: environment)
        try await waitUntil("klaxon to log its start on port \(port)", timeout: .seconds(20)) {
            if let status = process.exitStatus {
                throw KlaxonInstanceError(message: "klaxon \(status) before it started:\n\(process.outputForDiagnosis)")
            }
            return process.standardError.contains("msg=\"klaxon started\"")
        }
        return KlaxonInstance(process: process, port: port)
    }

    /// Sends a request with a well-behaved client.
    func send(
        _ method: String = "GET", _ pathAndQuery: String, headers: [String: String] = [:], body: [UInt8]? = nil
    ) async throws -> LoopbackHTTPResponse {
        try await LoopbackHTTPClient.send(method, port: port, path: pathAndQuery, headers: headers, body: body)
    }

    /// Sends a text-format push to `/metrics/job/<job>…` with PUT.
    func push(_ text: String, to path: String) async throws -> LoopbackHTTPResponse {
        try await send("PUT", path, headers: ["Content-Type": "text/plain; version=0.0.4"], body: Array(text.utf8))
    }

    /// The `/metrics` body as text.
    func metrics() async throws -> String {
        let response = try await send("GET", "/metrics")
        guard response.status == 200 else {
            throw KlaxonInstanceError(message: "/metrics answered \(response.status): \(response.text)")
        }
        return response.text
    }

    /// The sample lines of `/metrics` (`name{labels} value`) keyed by everything before the value.
    func exposedSamples() async throws -> [String: String] {
        var samples: [String: String] = [:]
        for line in try await metrics().split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            samples[String(line[..<space])] = String(line[line.index(after: space)...])
        }
        return samples
    }

    /// Stops with SIGTERM and returns how the process ended.
    @discardableResult
    func stop() async throws -> PeerExitStatus {
        try await process.stop(gracePeriod: .seconds(15))
    }
}

/// Klaxon did not start or answer as a test expected.
struct KlaxonInstanceError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// One raw HTTP/1.1 response read off a socket: status, headers (lower-cased names) and body bytes.
struct RawHTTPResponse {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]

    /// Splits the bytes of one response (read until the server closed); nil when they are not one.
    init?(_ bytes: [UInt8]) {
        let separator: [UInt8] = Array("\r\n\r\n".utf8)
        guard let end = bytes.indices.first(where: { bytes[$0...].starts(with: separator) }) else { return nil }
        let head = String(decoding: bytes[..<end], as: UTF8.self).split(separator: "\r\n")
        guard let statusLine = head.first, statusLine.split(separator: " ").count >= 2,
            let status = Int(statusLine.split(separator: " ")[1])
        else { return nil }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        self.status = status
        self.headers = headers
        body = Array(bytes[(end + separator.count)...])
    }
}
