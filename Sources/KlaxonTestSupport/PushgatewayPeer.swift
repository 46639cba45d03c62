import Foundation

/// A real Pushgateway, the reference for how Klaxon's push API must behave.
///
/// A test pushes the same request to both and compares what each then exposes at `/metrics`.
package final class PushgatewayPeer: Sendable {
    /// The Pushgateway process.
    package let process: PeerProcess
    /// The port it listens on (127.0.0.1).
    package let port: UInt16

    /// Starts a Pushgateway on a free port and waits until it answers `/-/ready`.
    package static func start(readyTimeout: Duration = .seconds(30)) async throws -> PushgatewayPeer {
        let pushgateway = try Executables.require(.pushgateway)
        let port = try FreePort.next()
        let process = try PeerProcess(
            executable: pushgateway,
            // Relative to the peer's own working directory: parallel peers never share state.
            arguments: [
                "--web.listen-address=127.0.0.1:\(port)", "--persistence.file=pushgateway.data", "--log.level=warn",
            ]
        )
        do {
            try await waitUntil("pushgateway to answer /-/ready on port \(port)", timeout: readyTimeout) {
                if let status = process.exitStatus {
                    throw PeerStartError(name: "pushgateway", status: status, output: process.outputForDiagnosis)
                }
                return (try? await LoopbackHTTPClient.send(port: port, path: "/-/ready").status) == 200
            }
        } catch {
            _ = try? await process.stop()
            throw error
        }
        return PushgatewayPeer(process: process, port: port)
    }

    private init(process: PeerProcess, port: UInt16) {
        self.process = process
        self.port = port
    }

    /// Sends `method` (`PUT`, `POST`, `DELETE`) with `body` to `path`, e.g. `/metrics/job/engine`.
    package func push(
        _ method: String,
        path: String,
        body: String,
        contentType: String = "text/plain; version=0.0.4"
    ) async throws -> LoopbackHTTPResponse {
        try await LoopbackHTTPClient.send(
            method,
            port: port,
            path: path,
            headers: ["Content-Type": contentType],
            body: Array(body.utf8)
        )
    }

    /// What the Pushgateway exposes at `/metrics` now.
    package func metrics() async throws -> String {
        try await LoopbackHTTPClient.send(port: port, path: "/metrics").text
    }

    /// Stops the Pushgateway (SIGTERM, then SIGKILL after the grace period).
    package func stop() async throws {
        try await process.stop()
    }
}

/// A peer exited while a test waited for it to become ready.
package struct PeerStartError: Error, CustomStringConvertible {
    /// Which peer.
    package let name: String
    /// How it ended.
    package let status: PeerExitStatus
    /// Its output, for diagnosis.
    package let output: String

    package var description: String {
        "\(name) \(status) before it was ready:\n\(output)"
    }
}
