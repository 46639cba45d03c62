import KlaxonHTTP
import KlaxonIngest
import KlaxonTestSupport
import Testing

private typealias PB = ProtobufMessage

/// One request of the differential sequence.
private struct Step: Sendable {
    var method: String
    var path: String
    var body: [UInt8]
    var contentType: String

    static func text(_ method: String, _ path: String, _ body: String) -> Step {
        Step(method: method, path: path, body: Array(body.utf8), contentType: "text/plain; version=0.0.4")
    }

    static func protobuf(_ method: String, _ path: String, _ families: [PB]) -> Step {
        Step(method: method, path: path, body: PB.delimited(families), contentType: ProtobufFamilyDecoder.contentType)
    }
}

/// The same long sequence of pushes sent to a real Pushgateway 1.5 and to Klaxon must get the same status
/// class at every step and leave the same pushed samples on `/metrics` (push times compared as zero /
/// non-zero; empty labels other than `instance` left out, see docs/pushgateway.md).
@Suite(.enabled(if: Executables.shouldRun(needing: .pushgateway), "needs prometheus-pushgateway"))
struct PushgatewayPeerTests {
    private static let gauge = PB.metric([], 2, PB.value(1))

    private static let steps: [Step] = [
        // Body labels against the grouping key: the key wins; a body instance stays when the key has none.
        .text("PUT", "/metrics/job/j1/inst/x", "a{inst=\"y\",k=\"v\"} 1\n# TYPE c counter\n# HELP c Done.\nc 2\n"),
        .text("POST", "/metrics/job/j1/inst/x", "b 3\n"),
        .text("PUT", "/metrics/job/j11", "a2{instance=\"h\"} 1\nb2 2\nb3{job=\"other\"} 3\n"),
        .text("PUT", "/metrics/job/j12/instance@base64/=", "x12 1\n"),
        // A type clash with another group, a timestamp, a parse error: refused, failure time set.
        .text("PUT", "/metrics/job/j2", "# TYPE c gauge\nc 1\n"),
        .text("PUT", "/metrics/job/j3", "t 1 1000\n"),
        .text("PUT", "/metrics/job/j3b", "t{ 1\n"),
        // job@base64, odd paths, repeated labels in one push.
        .text("PUT", "/metrics/job@base64/Zm9vL2Jhcg/p@base64/L3Zhcg", "d 1\n"),
        .text("PUT", "/metrics/job/j4/x", "e 1\n"),
        .text("POST", "/metrics/job/j6", "z 1\nz 2\n"),
        .text("PUT", "/metrics/job/j7/e@base64/=", "q{e=\"drop\"} 5\n"),
        // The gateway owns push_time_seconds.
        .text("PUT", "/metrics/job/j8", "push_time_seconds 5\nh{le=\"x\"} NaN\n"),
        .text("DELETE", "/metrics/job/nothing", ""),
        // Empty bodies: PUT empties the group but keeps it, POST only touches the push time.
        .text("PUT", "/metrics/job/j9", "r 1\n"),
        .text("PUT", "/metrics/job/j9", ""),
        .text("POST", "/metrics/job/j1/inst/x", ""),
        // A POST may change the type of a family only its own group has; not one another group shares.
        .text("PUT", "/metrics/job/j10", "# TYPE t1 gauge\nt1 1\nu1 1\n"),
        .text("POST", "/metrics/job/j10", "# TYPE t1 counter\nt1 2\n"),
        .text("PUT", "/metrics/job/j10b", "# TYPE t2 gauge\nt2 1\n"),
        .text("POST", "/metrics/job/j10", "# TYPE t2 counter\nt2 2\n"),
        // HELP that differs between groups is accepted.
        .text("PUT", "/metrics/job/h1", "# HELP hh One.\nhh 1\n"),
        .text("PUT", "/metrics/job/h2", "# HELP hh Two.\nhh 2\n"),
        // The same series from two groups is refused.
        .text("PUT", "/metrics/job/dup/a/1", "s 1\n"),
        .text("PUT", "/metrics/job/dup", "s{a=\"1\"} 2\n"),
        .text("DELETE", "/metrics/job@base64/Zm9vL2Jhcg/p@base64/L3Zhcg", ""),
        // Protobuf, as the Go client sends it.
        .protobuf(
            "PUT", "/metrics/job/pb/instance/i1",
            [
                PB.family("pb_fills_total", type: 0, help: "Fills.", [PB.metric([("venue", "a")], 3, PB.value(3))]),
                PB.family("pb_depth", type: 1, [PB.metric([("queue", "q")], 2, PB.value(-2.5))]),
                PB.family("pb_raw", type: 3, [PB.metric([], 5, PB.value(1e-7))]),
                PB.family(
                    "pb_spread", type: 2,
                    [PB.metric([("side", "bid")], 4, PB.summary(count: 5, sum: 2.5, [(0.5, 0.25), (0.99, 1e6)]))]),
                PB.family(
                    "pb_loop", type: 4, [PB.metric([], 7, PB.histogram(count: 9, sum: 3, [(0.005, 1), (2.5, 4)]))]),
                PB.family(
                    "pb_loop_inf", type: 4,
                    [PB.metric([], 7, PB.histogram(count: 3, sum: 3, [(1, 1), (.infinity, 3)]))]),
            ]),
        .protobuf(
            "POST", "/metrics/job/pb/instance/i1",
            [PB.family("pb_depth", type: 1, [PB.metric([("instance", "other"), ("queue", "r")], 2, PB.value(4))])]),
        .protobuf("PUT", "/metrics/job/pbnoinst", [PB.family("pb_other", type: 1, [gauge])]),
        // A later family of the same name replaces the earlier one, as in the Pushgateway.
        .protobuf(
            "PUT", "/metrics/job/pbtwice",
            [
                PB.family("pb_twice", type: 1, [PB.metric([("a", "1")], 2, PB.value(1))]),
                PB.family("pb_twice", type: 1, [PB.metric([("a", "2")], 2, PB.value(2))]),
            ]),
        .protobuf("PUT", "/metrics/job/pbts", [PB.family("pb_ts", type: 1, [gauge.varint(6, 1000)])]),
        .protobuf("PUT", "/metrics/job/pbmissing", [PB.family("pb_missing", type: 0, [gauge])]),
        .protobuf(
            "PUT", "/metrics/job/pbquantile",
            [PB.family("pb_q", type: 2, [PB.metric([("quantile", "1")], 4, PB.summary(count: 1, sum: 1, []))])]),
        .protobuf("PUT", "/metrics/job/j1/inst/x", [PB.family("c", type: 1, [gauge])]),
        .protobuf("POST", "/metrics/job/j10", [PB.family("t1", type: 1, [gauge])]),
        .protobuf("PUT", "/metrics/job/pbempty", []),
        .protobuf("POST", "/metrics/job/pbnoinst", [PB.family("pb_other", type: 3, [PB.metric([], 5, PB.value(8))])]),
        .protobuf("PUT", "/metrics/job/pbbroken", [PB().string(1, "x").raw([0x22, 0x7F])]),
    ]

    @Test func sameStatusesAndSeriesAsPushgatewayOverALongSequence() async throws {
        let gateway = try await PushgatewayPeer.start()
        defer { Task { try? await gateway.stop() } }
        let fixture = try PushFixture()
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, ioThreads: 1), handler: fixture.router)
        try server.start()
        defer { server.shutdown() }
        let port = UInt16(try #require(server.port))

        for (index, step) in Self.steps.enumerated() {
            let headers = ["Content-Type": step.contentType]
            let expected = try await LoopbackHTTPClient.send(
                step.method, port: gateway.port, path: step.path, headers: headers, body: step.body)
            let actual = try await LoopbackHTTPClient.send(
                step.method, port: port, path: step.path, headers: headers, body: step.body)
            let context = "step \(index) \(step.method) \(step.path): klaxon \(actual.status) \(actual.text), "
            #expect(
                actual.status / 100 == expected.status / 100,
                "\(context)pushgateway \(expected.status) \(expected.text)")
        }
        let expected = PushedSeries.parse(try await gateway.metrics())
        let actual = PushedSeries.parse(try await LoopbackHTTPClient.send(port: port, path: "/metrics").text)
        #expect(actual == expected, "\(PushedSeries.difference(actual, expected))")
        #expect(expected["b2{instance=\"\",job=\"j11\"}"] == "2", "the comparison sees instance=\"\"")
        // Stopped here too: the deferred stop may not run before the test process exits.
        try await gateway.stop()
    }

    @Test(.enabled(if: GoPushClient.shouldRun, "needs golang-go and golang-github-prometheus-client-golang-dev"))
    func goClientPushAndAddLeaveTheSameSamplesAsOnThePushgateway() async throws {
        let gateway = try await PushgatewayPeer.start()
        defer { Task { try? await gateway.stop() } }
        let fixture = try PushFixture()
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, ioThreads: 1), handler: fixture.router)
        try server.start()
        defer { server.shutdown() }
        let port = try #require(server.port)

        for (action, step) in [("push", 1), ("add", 2), ("push", 3), ("add", 4)] {
            for url in ["http://127.0.0.1:\(gateway.port)", "http://127.0.0.1:\(port)"] {
                let run = try await GoPushClient.run(url: url, action: action, step: step)
                #expect(run.exitStatus == .exited(0), "\(action) \(step) to \(url): \(run.outputForDiagnosis)")
            }
            let expected = PushedSeries.parse(try await gateway.metrics())
            let actual = PushedSeries.parse(
                try await LoopbackHTTPClient.send(port: UInt16(port), path: "/metrics").text)
            #expect(actual == expected, "after \(action) \(step): \(PushedSeries.difference(actual, expected))")
            #expect(
                actual["engine_mode{instance=\"\",job=\"engine\",venue=\"binance\"}"]
                    == (action == "add" ? String(step) : nil))
            #expect(actual.keys.contains { $0.hasPrefix("engine_loop_seconds_bucket{") })
        }
        for url in ["http://127.0.0.1:\(gateway.port)", "http://127.0.0.1:\(port)"] {
            let run = try await GoPushClient.run(url: url, action: "delete", step: 1)
            #expect(run.exitStatus == .exited(0), "delete to \(url): \(run.outputForDiagnosis)")
        }
        #expect(
            PushedSeries.parse(try await LoopbackHTTPClient.send(port: UInt16(port), path: "/metrics").text).isEmpty)
        #expect(PushedSeries.parse(try await gateway.metrics()).isEmpty)
        try await gateway.stop()
    }
}

/// The pushed samples of an exposition: `name{labels}` (labels sorted) → value text.
enum PushedSeries {
    /// Self-metrics of either side are left out; empty labels other than `instance` are dropped (Klaxon drops
    /// them at ingestion, see docs/pushgateway.md); push times are reduced to `0` or `set`.
    static func parse(_ exposition: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let key = normalized(String(line[..<space]))
            if ["go_", "process_", "pushgateway_", "promhttp_", "klaxon_"].contains(where: { key.hasPrefix($0) }) {
                continue
            }
            var value = String(line[line.index(after: space)...])
            if key.hasPrefix("push_time_seconds") || key.hasPrefix("push_failure_time_seconds") {
                value = value == "0" ? "0" : "set"
            }
            result[key] = value
        }
        return result
    }

    /// What differs, for a failure message.
    static func difference(_ actual: [String: String], _ expected: [String: String]) -> String {
        let keys = Set(actual.keys).union(expected.keys).filter { actual[$0] != expected[$0] }.sorted()
        return keys.map { "\($0): klaxon \(actual[$0] ?? "-"), pushgateway \(expected[$0] ?? "-")" }
            .joined(separator: "\n")
    }

    /// `m{b="1",a="",instance=""}` → `m{b="1",instance=""}` with the pairs sorted.
    private static func normalized(_ key: String) -> String {
        guard let open = key.firstIndex(of: "{"), key.hasSuffix("}") else { return key }
        var pairs: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for character in key[key.index(after: open)..<key.index(before: key.endIndex)] {
            if character == "," && !quoted {
                pairs.append(current)
                current = ""
                continue
            }
            current.append(character)
            if escaped {
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            }
        }
        if !current.isEmpty { pairs.append(current) }
        let kept = pairs.filter { !$0.hasSuffix("=\"\"") || $0 == "instance=\"\"" }.sorted()
        return String(key[..<open]) + (kept.isEmpty ? "" : "{" + kept.joined(separator: ",") + "}")
    }
}
