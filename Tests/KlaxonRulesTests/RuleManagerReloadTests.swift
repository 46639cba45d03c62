import Foundation
import KlaxonConfig
import KlaxonMetrics
import KlaxonRules
import Synchronization
import Testing

@Suite struct RuleManagerReloadTests {
    static func alertFile(expr: String = "kill_switch_engaged == 1", extraGroup: Bool = false) -> String {
        var text = """
            groups:
              - name: risk
                rules:
                  - alert: KillSwitch
                    expr: \(expr)
                    labels: {severity: P0}
                  - alert: Other
                    expr: other == 1
                    labels: {severity: P2}

            """
        if extraGroup { text += "  - {name: extra, rules: [{record: 'x:y', expr: sum(other)}]}\n" }
        return text
    }

    func write(_ text: String, in directory: URL, name: String = "rules.yml") throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func eachLoadAndReloadTellsTheStoreHowFarBackTheRulesRead() throws {
        let told = Mutex<[Int64]>([])
        let harness = RuleManagerHarness(
            options: RuleManagerOptions(lookbackDelta: 120_000),
            historyNeeded: { history in told.withLock { $0.append(history) } })
        try harness.load(Self.alertFile(expr: "max_over_time(kill_switch_engaged[10m]) == 1"))
        try harness.load(Self.alertFile())
        try harness.load(Self.alertFile(expr: "kill_switch_engaged offset 1h == 1", extraGroup: true))
        // The longest range; then the lookback alone; then lookback plus the offset.
        #expect(told.withLock { $0 } == [600_000, 120_000, 3_720_000])
    }

    @Test func unchangedRulesKeepTheirAlertsAcrossAReload() throws {
        let directory = try Conformance.scratchDirectory()
        let harness = RuleManagerHarness()
        let file = try write(Self.alertFile(), in: directory)
        try harness.manager.reload(files: [file])
        try harness.push("kill_switch_engaged", 1)
        harness.manager.evaluateDue(at: harness.now)
        let firedAt = harness.manager.alerts.first?.alert.firedAt
        #expect(harness.transitions == ["KillSwitch:firing"])

        _ = try write(Self.alertFile(extraGroup: true), in: directory)
        try harness.manager.reload(files: [file])
        harness.clock.advance(by: 1000)
        harness.manager.evaluateDue(at: harness.now)
        #expect(harness.transitions == ["KillSwitch:firing"], "no second firing after a reload")
        #expect(harness.manager.alerts.first?.alert.firedAt == firedAt)
        #expect(harness.manager.groups.map(\.name) == ["risk", "extra"])
        #expect(harness.manager.status.lastReloadSuccessful)
        #expect(harness.manager.status.lastReloadSuccessTimestampSeconds == Double(harness.now - 1000) / 1000)
    }

    @Test func aChangedExpressionStartsItsAlertAfresh() throws {
        let directory = try Conformance.scratchDirectory()
        let harness = RuleManagerHarness()
        let file = try write(Self.alertFile(), in: directory)
        try harness.manager.reload(files: [file])
        try harness.push("kill_switch_engaged", 1)
        harness.manager.evaluateDue(at: harness.now)
        _ = try write(Self.alertFile(expr: "kill_switch_engaged > 0"), in: directory)
        try harness.manager.reload(files: [file])
        harness.clock.advance(by: 1000)
        harness.manager.evaluateDue(at: harness.now)
        #expect(harness.transitions == ["KillSwitch:firing", "KillSwitch:firing"])
    }

    @Test func aBadFileLeavesTheOldRulesRunning() throws {
        let directory = try Conformance.scratchDirectory()
        let harness = RuleManagerHarness()
        let good = try write(Self.alertFile(), in: directory)
        try harness.manager.reload(files: [good])
        let bad = try write(
            "groups: [{name: g, rules: [{alert: A, expr: 'up ==', labels: {severity: P0}}]}]", in: directory,
            name: "bad.yml")
        harness.clock.advance(by: 5000)
        #expect(throws: ConfigErrors.self) { try harness.manager.reload(files: [good, bad]) }
        let status = harness.manager.status
        #expect(!status.lastReloadSuccessful)
        #expect(status.lastReloadError?.contains("bad.yml:1:51:") == true)
        #expect(status.lastReloadSuccessTimestampSeconds == Double(harness.now - 5000) / 1000)
        #expect(status.metricSamples.first { $0.name == "klaxon_config_last_reload_successful" }?.value == 0)
        #expect(harness.manager.groups.map(\.name) == ["risk"])
        try harness.push("kill_switch_engaged", 1)
        harness.manager.evaluateDue(at: harness.now)
        #expect(harness.transitions == ["KillSwitch:firing"])
    }

    @Test func aMissingFileFailsTheReload() {
        let harness = RuleManagerHarness()
        #expect(throws: ConfigErrors.self) { try harness.manager.reload(files: ["/nonexistent/rules.yml"]) }
        #expect(!harness.manager.status.lastReloadSuccessful)
    }

    @Test func aRemovedGroupMarksItsSeriesStale() throws {
        let directory = try Conformance.scratchDirectory()
        let harness = RuleManagerHarness()
        let file = try write(Self.alertFile(extraGroup: true), in: directory)
        try harness.manager.reload(files: [file])
        try harness.push("other", 1)
        harness.manager.evaluateDue(at: harness.now)
        _ = try write(Self.alertFile(), in: directory)
        harness.clock.advance(by: 1000)
        try harness.manager.reload(files: [file])
        let markers = harness.appended.filter { $0.owner == "rules/\(file);extra" }.last?.samples ?? []
        #expect(markers.map(\.labels) == [Labels(["__name__": "x:y"])])
        #expect(markers.allSatisfy { $0.sample.isStaleMarker })
    }
}

extension RuleManagerReloadTests {
    @Test func globPatternsAreExpandedAndAFileListedTwiceLoadsOnce() throws {
        let directory = try Conformance.scratchDirectory()
        let harness = RuleManagerHarness()
        let file = try write(Self.alertFile(), in: directory, name: "a.rules.yml")
        _ = try write(Self.alertFile(extraGroup: true), in: directory, name: "b.rules.yml")
        try harness.manager.reload(files: [directory.path + "/*.rules.yml", file, directory.path + "/none/*.yml"])
        #expect(
            harness.manager.groups.map(\.key.description) == [
                "\(file);risk", "\(directory.path)/b.rules.yml;risk", "\(directory.path)/b.rules.yml;extra",
            ])
        #expect(harness.manager.status.groupCount == 3 && harness.manager.status.ruleCount == 5)
    }
}
