import Foundation
import KlaxonConfig
import KlaxonMetrics
import KlaxonServer
import Testing

/// The demo's synthetic engine and its incident schedule, with time passed in.
@Suite struct DemoEngineTests {
    private static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// Every metric of docs/kpi-catalogue.md, as the text parser reads the push body.
    @Test func thePushCarriesEveryMetricOfTheKPICatalogue() throws {
        let catalogue = try String(
            contentsOf: Self.repository.appendingPathComponent("docs/kpi-catalogue.md"), encoding: .utf8)
        let documented = Set(
            catalogue.split(separator: "\n").compactMap { line -> String? in
                guard line.hasPrefix("| `"), let end = line.dropFirst(3).firstIndex(of: "`") else { return nil }
                let name = String(line[line.index(line.startIndex, offsetBy: 3)..<end])
                return name.contains(":") ? nil : name
            })
        #expect(documented.count >= 25)
        var engine = DemoEngine()
        let body = engine.tick(unixMilliseconds: 1_764_900_000_000, incident: nil)
        let families = try TextFormatParser().parse(Array(body.utf8))
        #expect(Set(families.map(\.name)) == documented)
    }

    /// The gateway Klaxon scrapes in the demo serves a counter that only grows, and nothing the engine pushes.
    @Test func theGatewayServesAGrowingCounterOfItsOwn() throws {
        func counters(at milliseconds: Int64) throws -> [Double] {
            let families = try TextFormatParser().parse(Array(DemoGateway.render(unixMilliseconds: milliseconds).utf8))
            #expect(families.map(\.name) == ["market_data_gateway_messages_total"])
            return families.flatMap(\.samples).map(\.value)
        }
        let before = try counters(at: 1_764_900_000_000)
        let after = try counters(at: 1_764_900_005_000)
        #expect(before.count == 3 && after.count == 3)
        for (earlier, later) in zip(before, after) { #expect(later > earlier) }
    }

    @Test func countersOnlyGrowAndAnIncidentChangesItsKPI() throws {
        var engine = DemoEngine()
        func value(_ body: String, _ name: String, _ label: String) throws -> Double {
            let family = try #require(try TextFormatParser().parse(Array(body.utf8)).first { $0.name == name })
            return try #require(family.samples.first { $0.labels.contains { $0.value == label } }?.value)
        }
        var previous = 0.0
        for second in 0..<30 {
            let body = engine.tick(unixMilliseconds: 1_764_900_000_000 + Int64(second) * 1000, incident: nil)
            let submitted = try value(body, "engine_orders_submitted_total", "binance")
            #expect(submitted >= previous)
            previous = submitted
            #expect(try value(body, "exchange_orderbook_age_seconds", "okx") < 1)
        }
        let frozen = try #require(DemoIncident.named("exchange-frozen"))
        let body = engine.tick(unixMilliseconds: 1_764_900_031_000, incident: (frozen, elapsed: 3))
        #expect(try value(body, "exchange_orderbook_age_seconds", "okx") > 10)
        #expect(try value(body, "exchange_orderbook_age_seconds", "binance") < 1)
    }

    @Test func theScheduleRotatesEndsIncidentsAndTakesTriggers() throws {
        var schedule = DemoSchedule(start: 0, every: 600_000)
        let calm = schedule.current(at: 599_999)
        #expect(calm == nil)
        let first = schedule.current(at: 600_000)
        #expect(first?.0.name == DemoIncident.all[0].name && first?.elapsed == 0)
        let lasting = Int64(DemoIncident.all[0].seconds) * 1000
        let late = schedule.current(at: 600_000 + lasting - 1000)
        #expect(late?.elapsed == DemoIncident.all[0].seconds - 1)
        let over = schedule.current(at: 600_000 + lasting)
        #expect(over == nil)
        let kill = try #require(DemoIncident.named("kill-switch"))
        schedule.trigger(kill, now: 610_000 + lasting)
        let injected = schedule.current(at: 611_000 + lasting)
        #expect(injected?.0.name == "kill-switch")
        #expect(schedule.nextAt == 1_210_000 + lasting, "the rotation goes on from the trigger")
        let second = schedule.current(at: 1_210_000 + lasting)
        #expect(second?.0.name == DemoIncident.all[1].name)
    }

    @Test func everyIncidentNamesAnAlertOfTheShippedRulePack() throws {
        let directory = Self.repository.appendingPathComponent("alert-rules")
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".yml") }
        let text = try files.map { try String(contentsOf: directory.appendingPathComponent($0), encoding: .utf8) }
            .joined()
        for incident in DemoIncident.all {
            #expect(text.contains("alert: \(incident.alert)\n"), "\(incident.name) expects \(incident.alert)")
            #expect(text.contains("severity: \(incident.severity)"))
        }
    }

    @Test func prepareLoadsTheRulePackAndAddsTheConsoleToEverySeverity() throws {
        var settings = try ServerSettings.resolve(options: ServeOptions(), processEnvironment: [:])
        let options = DemoOptions()
        try options.prepare(
            &settings, candidates: ["/nonexistent", Self.repository.appendingPathComponent("alert-rules").path],
            temporaryDirectory: "/tmp/klaxon-demo-test")
        #expect(settings.configuration.ruleFiles.last?.hasSuffix("alert-rules/*.yml") == true)
        #expect(settings.configuration.store.kind == .sqlite(path: "/tmp/klaxon-demo-test/klaxon.db"))
        for severity in Severity.allCases {
            #expect(settings.configuration.routing.policy.receivers[.dev]?[severity]?.contains("console") == true)
        }
        #expect(throws: DemoSetupError.self) {
            try options.prepare(&settings, candidates: ["/nonexistent"], temporaryDirectory: "/tmp/x")
        }
    }
}
