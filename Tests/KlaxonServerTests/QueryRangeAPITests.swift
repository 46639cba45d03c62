import Foundation
import KlaxonConfig
import KlaxonHTTP
import KlaxonRuntime
import KlaxonServer
import KlaxonTestSupport
import Testing

/// `/api/v1/query_range`, `/api/v1/series`, `/api/v1/labels` and `/api/v1/label/<name>/values`
/// answer with Prometheus's parameters, errors and JSON, in-process on the server's handler.
@Suite struct QueryRangeAPITests {
    private static let now: Int64 = 1_700_000_000_000
    private let clock = ManualWallClock(milliseconds: QueryRangeAPITests.now)
    private let server: KlaxonServer

    /// Two venues' fill counters and one depth gauge, a sample every 15 s over the last 10 minutes.
    init() throws {
        var configuration = KlaxonConfiguration.builtIn
        configuration.dataDirectory = try PeerDirectories.make(for: "query-range-api").path
        server = try KlaxonServer(
            settings: ServerSettings(configuration: configuration), logger: .disabled, clock: clock)
        // A batch holds each series once, so each step is its own push.
        for step in 0...40 {
            let time = Self.now - 600_000 + Int64(step) * 15_000
            var samples = [
                #"{"name":"engine_fills_total","labels":{"venue":"a"},"value":\#(step * 3),"timestamp":\#(time)}"#,
                #"{"name":"engine_fills_total","labels":{"venue":"b"},"value":\#(step),"timestamp":\#(time)}"#,
            ]
            if step <= 20 {
                samples.append(#"{"name":"engine_depth","labels":{"queue":"x"},"value":\#(step),"timestamp":\#(time)}"#)
            }
            let body = #"{"job":"engine","samples":["# + samples.joined(separator: ",") + "]}"
            let pushed = handle("POST", "/api/v1/push", headers: ["Content-Type": "application/json"], body: body)
            guard pushed.status == .ok else { throw PushFailed(text: text(pushed)) }
        }
    }

    private struct PushFailed: Error { let text: String }

    private func handle(
        _ method: String, _ target: String, headers: HTTPHeaders = [:], body: String = ""
    ) -> HTTPResponse {
        server.handler.handle(HTTPRequest(method: method, target: target, headers: headers, body: Array(body.utf8)))
    }

    private func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    private func json(_ response: HTTPResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    /// Seconds for a query string, relative to the pushed data's last sample.
    private func seconds(_ offset: Int64) -> String { String((Self.now + offset) / 1000) }

    // MARK: - query_range

    @Test func rangeQueryReturnsAMatrixWithAPointPerStep() throws {
        let target =
            "/api/v1/query_range?query=rate(engine_fills_total%5B1m%5D)&start=\(seconds(-300_000))"
            + "&end=\(seconds(0))&step=60"
        let response = handle("GET", target)
        #expect(response.status == .ok, "\(text(response))")
        let root = try json(response)
        #expect(root["status"] as? String == "success")
        let data = try #require(root["data"] as? [String: Any])
        #expect(data["resultType"] as? String == "matrix")
        let result = try #require(data["result"] as? [[String: Any]])
        #expect(result.compactMap { ($0["metric"] as? [String: String])?["venue"] } == ["a", "b"])
        #expect(result.allSatisfy { ($0["metric"] as? [String: String])?["__name__"] == nil }, "rate drops the name")
        let points = try #require(result.first?["values"] as? [[Any]])
        #expect(
            points.compactMap { $0.first as? Double } == (0...5).map { Double((Self.now - 300_000) / 1000 + $0 * 60) })
        // venue a grows by 3 every 15 s: 0.2 per second, with or without extrapolation.
        #expect(points.compactMap { $0.last as? String }.allSatisfy { abs((Double($0) ?? 0) - 0.2) < 1e-9 })
    }

    @Test func aPostedFormAndRFC3339TimesWorkToo() throws {
        let start = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(Self.now - 60_000) / 1000))
        let response = handle(
            "POST", "/api/v1/query_range", headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: "query=engine_fills_total%7Bvenue%3D%22b%22%7D&start=\(start)&end=\(seconds(0))&step=30s")
        #expect(response.status == .ok, "\(text(response))")
        #expect(text(response).contains(#""values":[[\#(seconds(-60_000)),"36"],[\#(seconds(-30_000)),"38"],"#))
    }

    /// Prometheus 2.42's own words for each refusal (its API reads start, end, step, the
    /// resolution, timeout, then the query, and names the parameter except for the query's errors).
    @Test(arguments: [
        ("query=up&end=1&step=1", #"invalid parameter "start": cannot parse "" to a valid timestamp"#),
        ("query=up&start=1&step=1", #"invalid parameter "end": cannot parse "" to a valid timestamp"#),
        (
            "query=up&start=yesterday&end=1&step=1",
            #"invalid parameter "start": cannot parse "yesterday" to a valid timestamp"#
        ),
        ("query=up&start=10&end=5&step=1", #"invalid parameter "end": end timestamp must not be before start time"#),
        ("query=up&start=1&end=5", #"invalid parameter "step": cannot parse "" to a valid duration"#),
        ("query=up&start=1&end=5&step=often", #"invalid parameter "step": cannot parse "often" to a valid duration"#),
        (
            "query=up&start=1&end=5&step=0",
            #"invalid parameter "step": zero or negative query resolution step widths are not accepted. "#
                + "Try a positive integer"
        ),
        (
            "query=up&start=1&end=5&step=-1s",
            #"invalid parameter "step": cannot parse "-1s" to a valid duration"#
        ),
        (
            "query=up&start=0&end=11001&step=1",
            "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)"
        ),
        (
            "query=up&start=0&end=60&step=15&timeout=x",
            #"invalid parameter "timeout": cannot parse "x" to a valid duration"#
        ),
        (
            "query=up%5B5m%5D&start=0&end=60&step=15",
            #"invalid expression type "range vector" for range query, must be Scalar or instant Vector"#
        ),
        (
            "query=%22text%22&start=0&end=60&step=15",
            #"invalid expression type "string" for range query, must be Scalar or instant Vector"#
        ),
    ])
    func badParametersAre400BadDataInPrometheusWords(query: String, message: String) throws {
        let response = handle("GET", "/api/v1/query_range?" + query)
        #expect(response.status == .badRequest)
        let root = try json(response)
        #expect(root["status"] as? String == "error")
        #expect(root["errorType"] as? String == "bad_data")
        #expect(root["error"] as? String == message)
    }

    /// A range query's parse error is the parser's, without the parameter's name (an instant
    /// query's carries it), and a missing query is the empty one.
    @Test(arguments: ["query=sum(up&start=0&end=60&step=15", "start=0&end=60&step=15"])
    func aRangeQueryThatDoesNotParseIsReportedAsTheParserSaysIt(query: String) throws {
        let response = handle("GET", "/api/v1/query_range?" + query)
        #expect(response.status == .badRequest)
        let error = try #require(try json(response)["error"] as? String)
        #expect(error.hasPrefix("1:"), "\(error)")
    }

    @Test func elevenThousandPointsAreAllowed() {
        let response = handle("GET", "/api/v1/query_range?query=1&start=0&end=11000&step=1")
        #expect(response.status == .ok, "\(text(response).prefix(300))")
    }

    // MARK: - series, labels, label values

    @Test func seriesListsTheMatchingLabelSetsOnce() throws {
        let response = handle(
            "GET", "/api/v1/series?match%5B%5D=engine_fills_total&match%5B%5D=engine_fills_total%7Bvenue%3D%22a%22%7D")
        #expect(response.status == .ok, "\(text(response))")
        let data = try #require(try json(response)["data"] as? [[String: String]])
        #expect(
            data == [
                ["__name__": "engine_fills_total", "job": "engine", "venue": "a"],
                ["__name__": "engine_fills_total", "job": "engine", "venue": "b"],
            ])
    }

    @Test func seriesWithoutASampleBetweenStartAndEndAreLeftOut() throws {
        // engine_depth stops 5 minutes before the end.
        let recent = handle("GET", "/api/v1/series?match%5B%5D=%7Bjob%3D%22engine%22%7D&start=\(seconds(-60_000))")
        let names = try #require(try json(recent)["data"] as? [[String: String]]).compactMap { $0["__name__"] }
        #expect(names == ["engine_fills_total", "engine_fills_total"])
        let earlier = handle(
            "GET", "/api/v1/series?match%5B%5D=engine_depth&start=\(seconds(-600_000))&end=\(seconds(-400_000))")
        #expect(try #require(try json(earlier)["data"] as? [[String: String]]).count == 1)
    }

    @Test(arguments: [
        ("", "no match[] parameter provided"),
        (
            "match%5B%5D=%7Bjob%3D%22%22%7D",
            #"invalid parameter "match[]": match[] must contain at least one non-empty matcher"#
        ),
        ("match%5B%5D=rate(x%5B1m%5D)", #"invalid parameter "match[]": 1:5: parse error: unexpected "(""#),
        ("match%5B%5D=x%7B", #"invalid parameter "match[]": 1:"#),
        (
            "match%5B%5D=up&start=x",
            #"invalid parameter "start": Invalid time value for 'start': cannot parse "x" to a valid timestamp"#
        ),
    ])
    func seriesRefusesAMissingOrBadSelector(query: String, message: String) throws {
        let response = handle("GET", "/api/v1/series?" + query)
        #expect(response.status == .badRequest)
        #expect((try json(response)["error"] as? String)?.contains(message) == true, "\(text(response))")
    }

    /// The label requests report a bad selector without naming the parameter, as Prometheus 2.42
    /// does, answer label values to GET alone, and quote a bad label name as Go's %q does.
    @Test func labelRequestsRefuseAsPrometheusDoes() throws {
        for path in ["/api/v1/labels", "/api/v1/label/venue/values"] {
            let empty = handle("GET", path + "?match%5B%5D=%7Bjob%3D~%22%22%7D")
            #expect(empty.status == .badRequest)
            #expect(try json(empty)["error"] as? String == "match[] must contain at least one non-empty matcher")
            let broken = try #require(try json(handle("GET", path + "?match%5B%5D=x%7B"))["error"] as? String)
            #expect(broken.hasPrefix("1:"), "\(broken)")
        }
        #expect(handle("POST", "/api/v1/label/venue/values").status == .methodNotAllowed)
        let badName = handle("GET", "/api/v1/label/a-%C3%A9/values")
        #expect(try json(badName)["error"] as? String == #"invalid label name: "a-é""#)
    }

    @Test func labelNamesAreSortedAndFollowTheSelectors() throws {
        let all = try #require(try json(handle("GET", "/api/v1/labels"))["data"] as? [String])
        #expect(all.contains("queue") && all.contains("venue") && all.contains("__name__"))
        #expect(all == all.sorted())
        let fills = handle(
            "POST", "/api/v1/labels", headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: "match[]=engine_fills_total")
        #expect(try json(fills)["data"] as? [String] == ["__name__", "job", "venue"])
    }

    @Test func labelValuesAnswerForOneLabel() throws {
        let venues = try json(handle("GET", "/api/v1/label/venue/values"))
        #expect(venues["data"] as? [String] == ["a", "b"])
        let names = try json(handle("GET", "/api/v1/label/__name__/values?match%5B%5D=%7Bjob%3D%22engine%22%7D"))
        #expect(names["data"] as? [String] == ["engine_depth", "engine_fills_total"])
        let none = try json(handle("GET", "/api/v1/label/nothing_here/values"))
        #expect(none["data"] as? [String] == [])
    }

    @Test func aBadLabelNameIs400AndAnotherPathIs404() throws {
        let bad = handle("GET", "/api/v1/label/1st/values")
        #expect(bad.status == .badRequest)
        #expect((try json(bad)["error"] as? String)?.contains("invalid label name: \"1st\"") == true)
        #expect(handle("GET", "/api/v1/label/venue").status == .notFound)
        #expect(handle("GET", "/api/v1/label/a/b/values").status == .notFound)
    }

    @Test func theNewRoutesAreCountedUnderTheirOwnHandlerLabel() {
        _ = handle("GET", "/api/v1/label/venue/values")
        _ = handle("GET", "/api/v1/series?match%5B%5D=up")
        let body = text(handle("GET", "/metrics"))
        #expect(body.contains("klaxon_http_requests_total{code=\"200\",handler=\"/api/v1/label/\"} 1\n"))
        #expect(body.contains("klaxon_http_requests_total{code=\"200\",handler=\"/api/v1/series\"} 1\n"))
    }
}
