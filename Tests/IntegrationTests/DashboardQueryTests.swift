import Foundation
import KlaxonTestSupport
import Testing

/// Every panel of every dashboard shows data over `klaxon demo`, whether Grafana reads a real
/// Prometheus (loading `deploy/prometheus.yml` and `alert-rules/`, scraping the demo) or Klaxon itself.
///
/// Each panel query, with the dashboard's variables at "All", must return at least one series from
/// both, and the same series (label sets; values differ by when each sampled). Some panels only
/// show something during an incident (pending alerts, risk alerts firing): the test injects one
/// incident, checks every query, and gives the queries still empty a second incident. Alert states
/// change on each side's own evaluation schedule, so the same label sets may be seen from the two a
/// few seconds apart: a query passes once one answer of Prometheus's equals one of Klaxon's.
@Suite(
    .enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"),
    .enabled(if: Executables.shouldRun(needing: .prometheus), "needs prometheus")
)
struct DashboardQueryTests {
    /// Incidents injected in turn: the first leaves alerts pending for minutes (the failover waits
    /// 5 m), the second fires a risk alert.
    private static let incidents = ["exchange-down", "global-risk-block"]

    @Test func everyPanelQueryReturnsTheSameSeriesFromPrometheusAndFromKlaxon() async throws {
        let port = try FreePort.next()
        let demo = try PeerProcess(
            executable: Executables.requireKlaxon(),
            arguments: [
                "demo", "--listen", "127.0.0.1:\(port)", "--every", "1h", "--rules",
                Executables.packageRoot.appendingPathComponent("alert-rules").path,
            ])
        try await waitUntil("the demo to answer /-/ready", timeout: .seconds(30)) {
            if let status = demo.exitStatus {
                throw KlaxonInstanceError(message: "demo \(status): \(demo.outputForDiagnosis)")
            }
            return (try? await Self.get(port: port, "/-/ready").status) == 200
        }
        let prometheusPort = try FreePort.next()
        let prometheus = try await PrometheusPeer.start(
            configuration: try Self.deployConfiguration(klaxonPort: port, prometheusPort: prometheusPort),
            job: "klaxon", port: prometheusPort)
        try await prometheus.waitUntilTargetsUp(count: 1)

        var remaining = try Dashboards.allQueries()
        #expect(remaining.count >= 50, "the dashboards hold \(remaining.count) queries")
        var lastSeen: [String: (prometheus: [String], klaxon: [String])] = [:]
        var answers: [String: (prometheus: Set<[String]>, klaxon: Set<[String]>)] = [:]
        for (round, incident) in Self.incidents.enumerated() {
            let injected = try await LoopbackHTTPClient.send(
                "POST", port: port, path: "/api/v1/demo/incidents/\(incident)", headers: [:], body: nil)
            #expect(injected.status == 202, "\(injected.text)")
            // The first round also waits for rates over the first samples and the rules' `for`. A
            // round but the last ends once what is left has not changed for 15 s: the next incident
            // is for that.
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: round == 0 ? .seconds(90) : .seconds(30))
            var lastProgress = clock.now
            let isLast = round == Self.incidents.count - 1
            while !remaining.isEmpty && clock.now < deadline && (isLast || clock.now - lastProgress < .seconds(15)) {
                var stillEmpty: [DashboardQuery] = []
                for query in remaining {
                    let theirs = try await Self.series(prometheus.get(Self.queryPath(query.query)), query)
                    let ours = try await Self.series(Self.get(port: port, Self.queryPath(query.query)), query)
                    lastSeen[query.query] = (theirs, ours)
                    var seen = answers[query.query] ?? ([], [])
                    if !theirs.isEmpty { seen.prometheus.insert(theirs) }
                    if !ours.isEmpty { seen.klaxon.insert(ours) }
                    answers[query.query] = seen
                    if seen.prometheus.isDisjoint(with: seen.klaxon) { stillEmpty.append(query) }
                }
                if stillEmpty.count < remaining.count { lastProgress = clock.now }
                remaining = stillEmpty
                if !remaining.isEmpty { try await clock.sleep(for: .seconds(1)) }
            }
        }
        for query in remaining {
            let seen = lastSeen[query.query]
            let all = answers[query.query]
            Issue.record(
                """
                \(query)
                  prometheus: \(seen?.prometheus ?? []) (every answer: \(all?.prometheus.sorted { $0.description < $1.description } ?? []))
                  klaxon:     \(seen?.klaxon ?? []) (every answer: \(all?.klaxon.sorted { $0.description < $1.description } ?? []))
                """)
        }

        try await prometheus.stop()
        #expect(try await demo.stop(gracePeriod: .seconds(15)) == .exited(0))
    }

    /// `deploy/prometheus.yml` as the compose stack runs it, pointed at this test's ports and at the
    /// repository's rule files.
    private static func deployConfiguration(klaxonPort: UInt16, prometheusPort: UInt16) throws -> String {
        let root = Executables.packageRoot
        let text = try String(contentsOf: root.appendingPathComponent("deploy/prometheus.yml"), encoding: .utf8)
        let replacements = [
            "\"klaxon:9477\"": "\"127.0.0.1:\(klaxonPort)\"",
            "\"localhost:9090\"": "\"127.0.0.1:\(prometheusPort)\"",
            "../alert-rules/*.yml": root.appendingPathComponent("alert-rules").path + "/*.yml",
        ]
        var configuration = text
        for (from, to) in replacements {
            guard configuration.contains(from) else {
                throw KlaxonInstanceError(message: "deploy/prometheus.yml no longer holds \(from)")
            }
            configuration = configuration.replacingOccurrences(of: from, with: to)
        }
        return configuration
    }

    private static func queryPath(_ query: String) -> String {
        var components = URLComponents()
        components.path = "/api/v1/query"
        components.queryItems = [URLQueryItem(name: "query", value: query)]
        // URLComponents leaves `+` alone, which a query string reads as a space.
        return components.percentEncodedPath + "?"
            + (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }

    private static func get(port: UInt16, _ path: String) async throws -> (status: Int, body: Data) {
        let response = try await LoopbackHTTPClient.send("GET", port: port, path: path, headers: [:], body: nil)
        return (response.status, Data(response.body))
    }

    /// The result's label sets, each as sorted JSON, sorted; throws unless the query succeeded.
    private static func series(_ response: (status: Int, body: Data), _ query: DashboardQuery) throws -> [String] {
        let root = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        guard response.status == 200, let data = root?["data"] as? [String: Any],
            let result = data["result"] as? [[String: Any]]
        else {
            throw KlaxonInstanceError(
                message: "\(query): answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        return try result.map { entry in
            let metric = entry["metric"] ?? [String: String]()
            return String(
                decoding: try JSONSerialization.data(withJSONObject: metric, options: .sortedKeys), as: UTF8.self)
        }.sorted()
    }
}
