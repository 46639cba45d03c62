import Foundation
import KlaxonTestSupport
import Testing

/// SIGTERM lets a request in flight finish before the process exits with status 0.
@Suite(.enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"))
struct GracefulStopTests {
    @Test func requestInFlightAtSIGTERMCompletesAndTheExitStatusIsZero() async throws {
        let klaxon = try await KlaxonInstance.start()
        let body = Array("# TYPE engine_up gauge\nengine_up 1\n".utf8)
        let connection = try RawTCPConnection(port: klaxon.port)
        defer { connection.close() }
        // `Expect: 100-continue` makes the server say when it has read the head: from then on the
        // request is in flight, so the stop below cannot mistake the connection for an idle one.
        try connection.send(
            "PUT /metrics/job/engine HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n"
                + "Content-Length: \(body.count)\r\nExpect: 100-continue\r\n\r\n")
        let interim = await connection.readUntil(timeout: .seconds(5)) { bytes in
            String(decoding: bytes, as: UTF8.self).contains("\r\n\r\n")
        }
        #expect(interim.text.hasPrefix("HTTP/1.1 100"), "\(interim.text)")
        try connection.send(Array(body[..<10]))

        klaxon.process.send(signal: SIGTERM)
        try await waitUntil("klaxon to log the shutdown request") {
            klaxon.process.standardError.contains("graceful shutdown requested")
        }
        try connection.send(Array(body[10...]))
        let response = await connection.readUntilClose(timeout: .seconds(10))
        #expect(response.text.hasPrefix("HTTP/1.1 200"), "\(response.text.prefix(300))")
        #expect(response.text.lowercased().contains("connection: close"))

        let status = try await klaxon.process.waitForExit(timeout: .seconds(15))
        #expect(status == .exited(0), "\(klaxon.process.outputForDiagnosis)")
    }
}
