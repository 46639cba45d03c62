import Foundation
import KlaxonTestSupport
import Testing

/// Starts the built `klaxon` binary as an operator would and checks how it starts and stops.
@Suite(.enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"))
struct ServeLifecycleTests {
    @Test func serveLogsItsListenAddressAndStopsWithStatusZeroOnSIGTERM() async throws {
        let port = try FreePort.next()
        let klaxon = try PeerProcess(
            executable: Executables.requireKlaxon(),
            arguments: ["serve", "--listen", "127.0.0.1:\(port)", "--env", "dev"]
        )
        let started = try await waitFor("the klaxon started line", timeout: .seconds(20)) {
            klaxon.standardError.split(separator: "\n").first { $0.contains("msg=\"klaxon started\"") }
        }
        #expect(started.contains("listen=127.0.0.1:\(port)"))
        #expect(started.contains("env=dev"))

        klaxon.send(signal: SIGTERM)
        let status = try await klaxon.waitForExit(timeout: .seconds(10))
        #expect(status == .exited(0), "\(klaxon.outputForDiagnosis)")
        #expect(klaxon.standardError.contains("msg=\"klaxon stopped\""))
    }

    @Test func sigintStopsServeLikeSIGTERM() async throws {
        let klaxon = try PeerProcess(
            executable: Executables.requireKlaxon(),
            arguments: ["serve", "--listen", "127.0.0.1:\(try FreePort.next())"]
        )
        try await waitUntil("klaxon to start", timeout: .seconds(20)) {
            klaxon.standardError.contains("msg=\"klaxon started\"")
        }
        klaxon.send(signal: SIGINT)
        #expect(try await klaxon.waitForExit(timeout: .seconds(10)) == .exited(0))
    }

    @Test func sighupAsksForAReloadAndKeepsServing() async throws {
        let klaxon = try PeerProcess(
            executable: Executables.requireKlaxon(),
            arguments: ["serve", "--listen", "127.0.0.1:\(try FreePort.next())", "--log-format", "json"]
        )
        try await waitUntil("klaxon to start", timeout: .seconds(20)) {
            klaxon.standardError.contains("\"msg\":\"klaxon started\"")
        }
        klaxon.send(signal: SIGHUP)
        try await waitUntil("the reload to be logged") {
            klaxon.standardError.contains("\"msg\":\"reload requested\"")
        }
        #expect(klaxon.exitStatus == nil)
        #expect(try await klaxon.stop() == .exited(0))
    }

    @Test func jsonLogLinesAreJSONObjects() async throws {
        let klaxon = try PeerProcess(
            executable: Executables.requireKlaxon(),
            arguments: ["serve", "--listen", "127.0.0.1:\(try FreePort.next())", "--log-format=json"]
        )
        try await waitUntil("klaxon to start", timeout: .seconds(20)) {
            klaxon.standardError.contains("klaxon started")
        }
        #expect(try await klaxon.stop() == .exited(0))
        let lines = klaxon.standardError.split(separator: "\n")
        #expect(!lines.isEmpty)
        for line in lines {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String]
            #expect(object?["msg"] != nil, "not a JSON log line: \(line)")
        }
    }

    @Test func environmentVariableChoosesTheEnvironmentWhenNoFlagDoes() async throws {
        let klaxon = try PeerProcess(
            executable: Executables.requireKlaxon(),
            arguments: ["serve", "--listen", "127.0.0.1:\(try FreePort.next())"],
            environment: ["KLAXON_ENV": "staging", "APP_ENV": "dev"]
        )
        try await waitUntil("klaxon to start", timeout: .seconds(20)) {
            klaxon.standardError.contains("msg=\"klaxon started\"")
        }
        #expect(klaxon.standardError.contains("env=staging env.source=KLAXON_ENV"))
        #expect(try await klaxon.stop() == .exited(0))
    }
}
