import Foundation
import KlaxonTestSupport
import Testing

/// What an engine pushes comes back out of `/metrics` unchanged, in a body the real tools accept.
@Suite(
    .enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"),
    .enabled(if: Executables.shouldRunPythonClientTests, "needs python3 with prometheus_client"),
    .enabled(if: Executables.shouldRun(needing: .promtool), "needs promtool")
)
struct PushRoundTripTests {
    /// Pushes 1 000 series with `push_to_gateway` and prints what it set, as `name labels-json repr`.
    private static let pushScript = """
        import json, sys
        from prometheus_client import CollectorRegistry, Counter, Gauge, push_to_gateway
        registry = CollectorRegistry()
        position = Gauge("engine_position", "Open position per symbol.", ["symbol"], registry=registry)
        fills = Counter("engine_fills", "Fills per venue.", ["venue"], registry=registry)
        pushed = []
        for i in range(990):
            value = i * 0.37 - 120.5 if i % 7 else 1.0 / (i + 3)
            position.labels("SYM%04d" % i).set(value)
            pushed.append(("engine_position", {"symbol": "SYM%04d" % i}, value))
        for i in range(10):
            fills.labels("venue-%d" % i).inc(i * 1e6 + 0.125)
            pushed.append(("engine_fills_total", {"venue": "venue-%d" % i}, i * 1e6 + 0.125))
        push_to_gateway(sys.argv[1], job="engine", registry=registry, grouping_key={"instance": "host-1"})
        for name, labels, value in pushed:
            labels = dict(labels, job="engine", instance="host-1")
            print(json.dumps({"name": name, "labels": labels, "value": repr(float(value))}))
        """

    private struct Pushed: Hashable {
        var name: String
        var labels: [String: String]
        var value: String
    }

    @Test func pushedSeriesComeBackEqualAndPromtoolFindsNothing() async throws {
        let klaxon = try await KlaxonInstance.start()
        let python = try await PythonClient.run(script: Self.pushScript, arguments: ["127.0.0.1:\(klaxon.port)"])
        #expect(python.exitStatus == .exited(0), "\(python.outputForDiagnosis)\n\(klaxon.process.outputForDiagnosis)")
        var expected = try python.standardOutput.split(separator: "\n").map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return Pushed(
                name: object?["name"] as? String ?? "", labels: object?["labels"] as? [String: String] ?? [:],
                value: object?["value"] as? String ?? "")
        }
        #expect(expected.count == 1_000)

        // A JSON batch from another producer, with values that are easy to get wrong in text.
        let batchValues = [0.1, 1e-7, 123_456_789.123, -2.5e-300, 1.7976931348623157e308, 42]
        let samples = batchValues.enumerated().map { index, value in
            "{\"name\":\"risk_limit_ratio\",\"labels\":{\"book\":\"b\(index)\"},\"value\":\(value),\"type\":\"gauge\",\"help\":\"Used share of the risk limit.\"}"
        }
        let batch = "{\"job\":\"risk\",\"samples\":[\(samples.joined(separator: ","))]}"
        let pushed = try await klaxon.send(
            "POST", "/api/v1/push", headers: ["Content-Type": "application/json"], body: Array(batch.utf8))
        #expect(pushed.status == 200, "\(pushed.text)")
        // Swift's description and Python's repr both print the shortest round-trip digits, alike.
        for (index, value) in batchValues.enumerated() {
            expected.append(
                Pushed(name: "risk_limit_ratio", labels: ["book": "b\(index)", "job": "risk"], value: "\(value)"))
        }

        let body = try await klaxon.metrics()
        let findings = try await Promtool.checkMetrics(body)
        #expect(findings.isClean, "\(findings)")

        let parsed = try await PythonClient.parseExposition(body)
        let readBack = Set(parsed.map { Pushed(name: $0.name, labels: $0.labels, value: $0.value) })
        let missing = expected.filter { !readBack.contains($0) }
        #expect(missing.isEmpty, "\(missing.count) pushed values not read back equal, e.g. \(missing.prefix(3))")
        #expect(try await klaxon.stop() == .exited(0))
    }
}
