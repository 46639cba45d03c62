import KlaxonHTTP
import KlaxonIngest
import KlaxonTestSupport
import Testing

/// The same pushes sent to a real Pushgateway 1.5 and to Klaxon must get the same status codes
/// and leave the same series (push times compared as zero / non-zero).
@Suite(.enabled(if: Executables.shouldRun(needing: .pushgateway), "needs prometheus-pushgateway"))
struct PushgatewayPeerTests {
    private static let steps: [(method: String, path: String, body: String)] = [
        ("PUT", "/metrics/job/j1/inst/x", "a{inst=\"y\",k=\"v\"} 1\n# TYPE c counter\n# HELP c Done.\nc 2\n"),
        ("POST", "/metrics/job/j1/inst/x", "b 3\n"),
        ("PUT", "/metrics/job/j2", "# TYPE c gauge\nc 1\n"),
        ("PUT", "/metrics/job/j3", "t 1 1000\n"),
        ("PUT", "/metrics/job@base64/Zm9vL2Jhcg/p@base64/L3Zhcg", "d 1\n"),
        ("PUT", "/metrics/job/j4/x", "e 1\n"),
        ("POST", "/metrics/job/j6", "z 1\nz 2\n"),
        ("PUT", "/metrics/job/j7/e@base64/=", "q{e=\"drop\"} 5\n"),
        ("PUT", "/metrics/job/j8", "push_time_seconds 5\nh{le=\"x\"} NaN\n"),
        ("DELETE", "/metrics/job/nothing", ""),
        ("PUT", "/metrics/job/j9", "r 1\n"),
        ("PUT", "/metrics/job/j9", ""),
        ("POST", "/metrics/job/j1/inst/x", ""),
        ("DELETE", "/metrics/job@base64/Zm9vL2Jhcg/p@base64/L3Zhcg", ""),
    ]

    /// `name{labels}` → value with empty labels dropped, self-metrics of either side left out and push times
    /// reduced to `0` or `set`.
    private static func series(_ exposition: String) -> [String: String] {
        var result: [String: String] = [:]
        for line in exposition.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " ") else { continue }
            let key = droppingEmptyLabels(String(line[..<space]))
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

    @Test func sameStatusesAndSeriesAsPushgateway() async throws {
        let gateway = try await PushgatewayPeer.start()
        defer { Task { try? await gateway.stop() } }
        let fixture = try PushFixture()
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0, ioThreads: 1), handler: fixture.router)
        try server.start()
        defer { server.shutdown() }
        let port = UInt16(try #require(server.port))

        for step in Self.steps {
            let headers = ["Content-Type": "text/plain; version=0.0.4"]
            let body = Array(step.body.utf8)
            let expected = try await LoopbackHTTPClient.send(
                step.method, port: gateway.port, path: step.path, headers: headers, body: body)
            let actual = try await LoopbackHTTPClient.send(
                step.method, port: port, path: step.path, headers: headers, body: body)
            #expect(actual.status == expected.status, "\(step.method) \(step.path): \(actual.text) vs \(expected.text)")
        }
        let expected = Self.series(try await gateway.metrics())
        let actual = Self.series(try await LoopbackHTTPClient.send(port: port, path: "/metrics").text)
        #expect(actual == expected)
    }
}

/// `m{a="",b="1"}` → `m{b="1"}`: Pushgateway writes empty labels (`instance=""`), which mean "absent".
private func droppingEmptyLabels(_ key: String) -> String {
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
    let kept = pairs.filter { !$0.hasSuffix("=\"\"") }
    return String(key[..<open]) + (kept.isEmpty ? "" : "{" + kept.joined(separator: ",") + "}")
}
