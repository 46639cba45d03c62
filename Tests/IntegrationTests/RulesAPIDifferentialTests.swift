import Foundation
import KlaxonTestSupport
import Testing

/// `GET /api/v1/rules` lists the same groups, rules, states, health and alerts as a real
/// Prometheus loading the same rule files: the shipped pack and a file with what the pack lacks
/// (keep_firing_for, a limit, a templated label, a recording rule with labels, a rule that fails).
///
/// Neither has data, so what fires is what needs none (`vector`, `absent`). Evaluation times, the
/// instants of evaluation and `activeAt` differ by when each ran and are left out; groups are
/// compared by file and name (Prometheus lists them in its map's order).
@Suite(
    .enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"),
    .enabled(if: Executables.shouldRun(needing: .prometheus), "needs prometheus")
)
struct RulesAPIDifferentialTests {
    private static let extraRules = """
        groups:
          - name: api-shapes
            interval: 2s
            limit: 5
            rules:
              - alert: HeldAndKept
                expr: vector(1.5) > 0
                for: 10m
                keep_firing_for: 30s
                labels: {severity: P1, seen: "{{ $value }}"}
                annotations: {summary: "value {{ $value }}"}
              - alert: AlwaysFiring
                expr: vector(2)
                labels: {severity: P3}
              - record: shape:sum:rate5m
                expr: |
                  sum   without(a)(
                    rate(nothing_total[5m]))
                labels: {team: risk}
              - record: broken
                expr: label_replace(vector(1), "a", "b", "c", "(")
              - alert: NothingThere
                expr: absent(nothing_here)
                labels: {severity: P2}

        """

    @Test func rulesAgreeWithPrometheusOnTheSameFiles() async throws {
        let directory = try PeerDirectories.make(for: "rules-api")
        let extra = directory.appendingPathComponent("extra.yml")
        try Self.extraRules.write(to: extra, atomically: true, encoding: .utf8)
        let pack = Executables.packageRoot.appendingPathComponent("alert-rules").path
        let files = ["\(pack)/engine-incidents.yml", "\(pack)/trading-risk.yml", extra.path]
        let list = files.map { "'\($0)'" }.joined(separator: ", ")

        let klaxon = try await KlaxonInstance.start(config: "evaluation_interval: 1s\nrule_files: [\(list)]\n")
        let prometheus = try await PrometheusPeer.start(
            configuration: "global: {evaluation_interval: 1s}\nrule_files: [\(list)]\n", job: "none")

        // Both have evaluated every group at least once.
        var ours: [String: [String: Any]] = [:]
        var theirs: [String: [String: Any]] = [:]
        try await waitUntil("both to have evaluated every group", timeout: .seconds(30)) {
            ours = try await Self.groups(Data(klaxon.send("GET", "/api/v1/rules").body))
            theirs = try await Self.groups(prometheus.get("/api/v1/rules").body)
            let all = Array(ours.values) + Array(theirs.values)
            return ours.count == 7 && theirs.count == 7
                && all.allSatisfy { $0["lastEvaluation"] as? String != "0001-01-01T00:00:00Z" }
        }
        #expect(Set(ours.keys) == Set(theirs.keys))
        for key in theirs.keys.sorted() {
            let mine = Self.comparable(ours[key] ?? [:])
            let other = Self.comparable(theirs[key] ?? [:])
            #expect(mine == other, "group \(key)\nklaxon:     \(mine)\nprometheus: \(other)")
        }

        let alertsOnly = try await Self.groups(Data(klaxon.send("GET", "/api/v1/rules?type=alert").body))
        let recorded = alertsOnly.values.flatMap { $0["rules"] as? [[String: Any]] ?? [] }
        #expect(!recorded.isEmpty && recorded.allSatisfy { $0["type"] as? String == "alerting" })
        let bad = try await klaxon.send("GET", "/api/v1/rules?type=both")
        let badTheirs = try await prometheus.get("/api/v1/rules?type=both")
        #expect(bad.status == 400 && badTheirs.status == 400)
        #expect(bad.text == String(decoding: badTheirs.body, as: UTF8.self))

        try await prometheus.stop()
        #expect(try await klaxon.stop() == .exited(0))
    }

    /// The groups of a rules answer keyed by `file;name`.
    private static func groups(_ body: Data) throws -> [String: [String: Any]] {
        let root = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        let groups = (root?["data"] as? [String: Any])?["groups"] as? [[String: Any]] ?? []
        var keyed: [String: [String: Any]] = [:]
        for group in groups {
            keyed["\(group["file"] as? String ?? "");\(group["name"] as? String ?? "")"] = group
        }
        return keyed
    }

    /// A group without what depends on when it ran, re-serialised with sorted keys; alerts sorted by labels.
    private static func comparable(_ group: [String: Any]) -> String {
        let timing: Set<String> = ["evaluationTime", "lastEvaluation", "activeAt"]
        func strip(_ value: Any) -> Any {
            if let object = value as? [String: Any] {
                return object.filter { !timing.contains($0.key) }.mapValues(strip)
            }
            if let array = value as? [Any] { return array.map(strip) }
            return value
        }
        var copy = strip(group) as? [String: Any] ?? [:]
        if var rules = copy["rules"] as? [[String: Any]] {
            for index in rules.indices {
                guard let alerts = rules[index]["alerts"] as? [[String: Any]] else { continue }
                rules[index]["alerts"] = alerts.sorted { "\($0["labels"] ?? "")" < "\($1["labels"] ?? "")" }
            }
            copy["rules"] = rules
        }
        let data = (try? JSONSerialization.data(withJSONObject: copy, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
