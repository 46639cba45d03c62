import Foundation
import KlaxonConfig
import KlaxonHTTP
import KlaxonServer
import KlaxonTestSupport
import Testing

/// Rule files loaded by the server are evaluated over pushed series; their output is served.
@Suite struct ServerRuleEvaluationTests {
    private static let rules = """
        groups:
          - name: engine
            rules:
              - record: job:engine_depth:sum
                expr: sum by (job) (engine_depth)
              - alert: EngineQueueDeep
                expr: engine_depth > 5
                labels:
                  severity: P1
                annotations:
                  summary: "queue {{ $labels.queue }} is {{ $value }} deep"
        """

    private let clock = ManualWallClock(milliseconds: 1_700_000_000_000)
    private let server: KlaxonServer

    init() throws {
        let directory = try PeerDirectories.make(for: "server-rules")
        try Self.rules.write(to: directory.appendingPathComponent("engine.yml"), atomically: true, encoding: .utf8)
        var configuration = KlaxonConfiguration.builtIn
        configuration.ruleFiles = ["*.yml"]
        configuration.baseDirectory = directory.path
        configuration.dataDirectory = directory.path
        server = try KlaxonServer(
            settings: ServerSettings(configuration: configuration), logger: .disabled, clock: clock)
    }

    private func handle(_ method: String, _ target: String, body: String = "") -> String {
        let request = HTTPRequest(method: method, target: target, body: Array(body.utf8))
        return String(decoding: server.handler.handle(request).body, as: UTF8.self)
    }

    @Test func recordedSeriesAndAlertsAppearAfterAPush() {
        let loaded = server.reloader.loadInitial()
        #expect(loaded.succeeded, "\(loaded)")
        #expect(loaded.message.contains("1 rule group(s) with 2 rule(s)"))
        _ = handle("PUT", "/metrics/job/engine", body: "engine_depth{queue=\"a\"} 4\nengine_depth{queue=\"b\"} 7\n")
        server.rules.evaluateDue(at: clock.nowMilliseconds())

        let metrics = handle("GET", "/metrics")
        #expect(metrics.contains("job:engine_depth:sum{job=\"engine\"} 11\n"), "\(metrics)")
        #expect(metrics.contains("# TYPE ALERTS gauge"))
        #expect(
            metrics.contains(
                "ALERTS{alertname=\"EngineQueueDeep\",alertstate=\"firing\",job=\"engine\",queue=\"b\",severity=\"P1\"} 1\n"
            ), "\(metrics)")
        #expect(!metrics.contains("queue=\"a\",severity"))
        #expect(metrics.contains("klaxon_rule_groups 1\n"))
        #expect(metrics.contains("klaxon_rules 2\n"))
        #expect(metrics.contains("klaxon_rule_group_evaluations_total 1\n"))

        let query = handle("GET", "/api/v1/query?query=job:engine_depth:sum")
        #expect(query.contains(#""value":[1700000000,"11"]"#), "\(query)")
    }

    @Test func aPushWakesTheGroupsThatReadItsSeries() {
        #expect(server.reloader.loadInitial().succeeded)
        server.rules.evaluateDue(at: clock.nowMilliseconds())
        clock.advance(by: 100)
        // Not due by interval (1 s) yet: only the push can make the group run now.
        _ = handle("PUT", "/metrics/job/engine", body: "engine_depth{queue=\"b\"} 9\n")
        server.rules.evaluateDue(at: clock.nowMilliseconds())
        #expect(handle("GET", "/metrics").contains("job:engine_depth:sum{job=\"engine\"} 9\n"))

        clock.advance(by: 100)
        _ = handle("PUT", "/metrics/job/other", body: "unrelated_total 1\n")
        server.rules.evaluateDue(at: clock.nowMilliseconds())
        #expect(server.rules.status.evaluations == 2)
    }
}
