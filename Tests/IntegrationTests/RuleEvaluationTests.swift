import Foundation
import KlaxonTestSupport
import Testing

/// `serve` evaluates the configured rule files over pushed series and reloads them on request.
@Suite(.enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"))
struct RuleEvaluationTests {
    private static func rules(threshold: Int) -> String {
        """
        groups:
          - name: engine
            interval: 1m
            rules:
              - alert: EngineFrozen
                expr: engine_heartbeat_age_seconds > \(threshold)
                labels:
                  severity: P0
                annotations:
                  summary: "engine frozen for {{ $value }}s"
        """
    }

    private func ruleDirectory(_ text: String) throws -> URL {
        let directory = try PeerDirectories.make(for: "rules")
        try text.write(to: directory.appendingPathComponent("engine.rules.yml"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test func aPushThatBreaksARuleFiresItWellBeforeTheInterval() async throws {
        let directory = try ruleDirectory(Self.rules(threshold: 10))
        let klaxon = try await KlaxonInstance.start(config: "rule_files: ['\(directory.path)/*.rules.yml']\n")
        #expect(try await klaxon.send("GET", "/-/ready").status == 200)
        let pushed = try await klaxon.push("engine_heartbeat_age_seconds 42\n", to: "/metrics/job/engine")
        #expect(pushed.status == 200)
        // The group's interval is a minute; only evaluation on push can fire it within seconds.
        try await waitUntil("ALERTS to show the firing alert", timeout: .seconds(5)) {
            let body = try await klaxon.metrics()
            return body.contains(
                "ALERTS{alertname=\"EngineFrozen\",alertstate=\"firing\",job=\"engine\",severity=\"P0\"} 1")
        }
        #expect(klaxon.process.standardError.contains("msg=\"alert state changed\""))
        #expect(try await klaxon.stop() == .exited(0))
    }

    @Test func reloadAppliesNewRulesAndRefusesBrokenOnesKeepingTheOld() async throws {
        let directory = try ruleDirectory(Self.rules(threshold: 100))
        let file = directory.appendingPathComponent("engine.rules.yml")
        let klaxon = try await KlaxonInstance.start(config: "rule_files: ['\(directory.path)/*.rules.yml']\n")
        _ = try await klaxon.push("engine_heartbeat_age_seconds 42\n", to: "/metrics/job/engine")

        try Self.rules(threshold: 10).write(to: file, atomically: true, encoding: .utf8)
        let reloaded = try await klaxon.send("POST", "/-/reload")
        #expect(reloaded.status == 200, "\(reloaded.text)")
        // The next push is evaluated by the new rule; the group's minute interval has not come.
        _ = try await klaxon.push("engine_heartbeat_age_seconds 43\n", to: "/metrics/job/engine")
        try await waitUntil("the reloaded rule to fire", timeout: .seconds(5)) {
            try await klaxon.metrics().contains("alertname=\"EngineFrozen\",alertstate=\"firing\"")
        }

        try "groups:\n  - name: engine\n    rules:\n      - alert: X\n        expr: up ==\n"
            .write(to: file, atomically: true, encoding: .utf8)
        let refused = try await klaxon.send("POST", "/-/reload")
        #expect(refused.status == 500)
        #expect(refused.text.contains("\(file.path):5:"), "\(refused.text)")
        let metrics = try await klaxon.metrics()
        #expect(metrics.contains("klaxon_config_last_reload_successful 0"))
        #expect(metrics.contains("alertname=\"EngineFrozen\",alertstate=\"firing\""))
        #expect(try await klaxon.stop() == .exited(0))
    }

    @Test func serveRefusesToStartWithABrokenRuleFile() async throws {
        let directory = try ruleDirectory(
            "groups:\n  - name: g\n    rules:\n      - alert: NoSeverity\n        expr: up == 0\n")
        let config = try PeerDirectories.make(for: "klaxon-config").appendingPathComponent("klaxon.yml")
        try "rule_files: ['\(directory.path)/*.rules.yml']\n".write(to: config, atomically: true, encoding: .utf8)
        let klaxon = try PeerProcess(
            executable: Executables.requireKlaxon(),
            arguments: ["serve", "--config", config.path, "--listen", "127.0.0.1:\(try FreePort.next())"])
        #expect(try await klaxon.waitForExit(timeout: .seconds(20)) == .exited(1))
        #expect(
            klaxon.standardError.contains("klaxon: \(directory.path)/engine.rules.yml:4:"), "\(klaxon.standardError)")
        #expect(!klaxon.standardError.contains("klaxon started"))
    }
}
