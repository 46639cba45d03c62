import Foundation
import KlaxonTestSupport
import Testing

/// The command line as an operator meets it: exit statuses, where text goes, what it says.
@Suite(.enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"))
struct CommandLineTests {
    private func run(_ arguments: [String], environment: [String: String] = [:]) async throws -> PeerProcess {
        let klaxon = try PeerProcess(
            executable: Executables.requireKlaxon(), arguments: arguments, environment: environment)
        try await klaxon.waitForExit(timeout: .seconds(20))
        return klaxon
    }

    @Test(arguments: [
        (["serve", "--bogus"], "'--bogus'"),
        (["frobnicate"], "'frobnicate'"),
        (["serve", "--listen", "nowhere"], "'nowhere'"),
        (["check", "bogus", "x.yml"], "'bogus'"),
        (["test", "rules"], "missing FILE"),
        ([String](), "no command given"),
    ])
    func misuseExitsWithStatusTwoNamingTheProblemAndShowingUsage(arguments: [String], named: String) async throws {
        let klaxon = try await run(arguments)
        #expect(klaxon.exitStatus == .exited(2))
        #expect(klaxon.standardError.contains(named))
        #expect(klaxon.standardError.contains("usage: klaxon"))
        #expect(klaxon.standardOutput.isEmpty)
    }

    @Test(arguments: [["--help"], ["-h"], ["help"], ["serve", "--help"], ["check", "-h"], ["version", "--help"]])
    func helpGoesToStandardOutputWithStatusZero(arguments: [String]) async throws {
        let klaxon = try await run(arguments)
        #expect(klaxon.exitStatus == .exited(0))
        #expect(klaxon.standardOutput.contains("usage: klaxon"))
        #expect(klaxon.standardError.isEmpty)
    }

    @Test func serveHelpListsEveryOption() async throws {
        let help = try await run(["serve", "--help"]).standardOutput
        for option in ["--config", "--listen", "--data", "--env", "--log-format", "--log-level", "--web.external-url"] {
            #expect(help.contains(option), "serve --help does not mention \(option)")
        }
    }

    @Test func versionPrintsVersionCompilerAndPlatform() async throws {
        let klaxon = try await run(["version"])
        #expect(klaxon.exitStatus == .exited(0))
        let lines = klaxon.standardOutput.split(separator: "\n")
        #expect(lines.first?.hasPrefix("klaxon ") == true)
        #expect(lines.contains { $0.hasPrefix("swift compiler: 6.") })
        #expect(lines.contains { $0.hasPrefix("platform: ") })
    }

    @Test func invalidEnvironmentVariableIsRefusedAtStartup() async throws {
        let klaxon = try await run(["serve", "--listen", "127.0.0.1:1"], environment: ["KLAXON_ENV": "production"])
        #expect(klaxon.exitStatus == .exited(2))
        #expect(klaxon.standardError.contains("KLAXON_ENV='production'"))
    }

    @Test func checkConfigOfAMissingFileFailsNamingIt() async throws {
        let klaxon = try await run(["check", "config", "/nonexistent/klaxon.yml"])
        #expect(klaxon.exitStatus == .exited(1))
        #expect(klaxon.standardError.contains("/nonexistent/klaxon.yml"))
    }

    @Test func serveRefusesAConfigFileItCannotRead() async throws {
        let klaxon = try await run(["serve", "--config", "/nonexistent/klaxon.yml", "--listen", "127.0.0.1:1"])
        #expect(klaxon.exitStatus == .exited(1))
        #expect(klaxon.standardError.contains("klaxon: /nonexistent/klaxon.yml:1:1: cannot open the file"))
    }

    @Test func checkConfigOfAValidFilePrintsOK() async throws {
        let file = try writeConfig("server:\n  listen: 127.0.0.1:9477\n  read_timeout: 5s\nenvironment: prod\n")
        let klaxon = try await run(["check", "config", file])
        #expect(klaxon.exitStatus == .exited(0), "\(klaxon.outputForDiagnosis)")
        #expect(klaxon.standardOutput == "OK\n")
    }

    @Test func checkConfigListsEveryProblemWithFileLineAndColumn() async throws {
        let file = try writeConfig("server:\n  read_timeout: soon\nenvironment: production\nbogus: 1\n")
        let klaxon = try await run(["check", "config", file])
        #expect(klaxon.exitStatus == .exited(1))
        let lines = klaxon.standardError.split(separator: "\n")
        #expect(lines.count == 3, "\(klaxon.standardError)")
        let rows = Set(lines.map { $0.dropFirst(file.count + 1).prefix { $0 != ":" } })
        #expect(rows == ["2", "3", "4"], "\(klaxon.standardError)")
        #expect(lines.allSatisfy { $0.hasPrefix(file + ":") })
        #expect(!klaxon.standardOutput.contains("OK"))
    }

    @Test func serveOnAPortInUseFailsWithOneClearLine() async throws {
        let first = try await KlaxonInstance.start()
        let second = try await run(["serve", "--listen", "127.0.0.1:\(first.port)"])
        #expect(second.exitStatus == .exited(1))
        let lines = second.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(second.standardError)")
        #expect(lines.first?.contains("cannot listen on 127.0.0.1:\(first.port)") == true)
        #expect(lines.first?.contains("in use") == true)
        #expect(try await first.stop() == .exited(0))
    }

    /// Without its database Klaxon would forget acks and silences and page again: it refuses to
    /// start, in one line that names the store without its password (compose waits for PostgreSQL).
    @Test func serveRefusesToStartWhenThePostgreSQLStoreIsUnreachable() async throws {
        let closed = try FreePort.next()
        let file = try writeConfig(
            "store:\n  url: postgres://klaxon:s3cret@127.0.0.1:\(closed)/klaxon?connect_timeout=2\n")
        let klaxon = try await run(["serve", "--config", file, "--listen", "127.0.0.1:\(try FreePort.next())"])
        #expect(klaxon.exitStatus == .exited(1))
        let lines = klaxon.standardError.split(separator: "\n")
        #expect(lines.count == 1, "\(klaxon.standardError)")
        #expect(lines.first?.contains("cannot open the alert store postgres://klaxon:***@127.0.0.1:\(closed)") == true)
        #expect(lines.first?.contains("Connection refused") == true)
        #expect(!klaxon.standardError.contains("s3cret"))
    }

    private func writeConfig(_ text: String) throws -> String {
        let file = try PeerDirectories.make(for: "check-config").appendingPathComponent("klaxon.yml")
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }
}
