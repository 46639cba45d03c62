import Foundation
import KlaxonConfig
import KlaxonHTTP
import KlaxonMetrics
import KlaxonRuntime
import KlaxonServer
import KlaxonTestSupport
import Testing

/// The server's routes, called in-process on the instrumented handler the HTTP server calls.
@Suite struct KlaxonServerRoutesTests {
    private let clock = ManualWallClock(milliseconds: 1_700_000_000_000)
    private let server: KlaxonServer

    init() throws {
        var configuration = KlaxonConfiguration.builtIn
        configuration.dataDirectory = try PeerDirectories.make(for: "server-routes").path
        server = try KlaxonServer(
            settings: ServerSettings(configuration: configuration), logger: .disabled, clock: clock)
    }

    private func handle(
        _ method: String, _ target: String, headers: HTTPHeaders = [:], body: String = ""
    ) -> HTTPResponse {
        server.handler.handle(HTTPRequest(method: method, target: target, headers: headers, body: Array(body.utf8)))
    }

    private func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test func pushedSeriesAppearOnMetricsWithSelfMetrics() {
        let push = handle("PUT", "/metrics/job/engine", body: "# TYPE engine_depth gauge\nengine_depth 3\n")
        #expect(push.status == .ok)
        let metrics = handle("GET", "/metrics")
        #expect(metrics.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8")
        let body = text(metrics)
        #expect(body.contains("engine_depth{instance=\"\",job=\"engine\"} 3\n"))
        #expect(body.contains("klaxon_build_info{platform=\"\(KlaxonVersion.platform)\""))
        #expect(body.contains("version=\"\(KlaxonVersion.version)\"} 1\n"))
        #expect(body.contains("klaxon_series 3\n"), "engine_depth, push_time_seconds, push_failure_time_seconds")
        #expect(body.contains("klaxon_ingested_samples_total{path=\"pushgateway\"} 1\n"))
        #expect(body.contains("klaxon_http_requests_total{code=\"200\",handler=\"/metrics/job/\"} 1\n"))
        let memory = server.store.statistics.memory
        for (kind, bytes) in [("samples", memory.samples), ("labels", memory.labels), ("index", memory.index)] {
            #expect(body.contains("klaxon_store_bytes{kind=\"\(kind)\"} \(bytes)\n"), "kind \(kind)")
        }
    }

    @Test func selfMetricsAreRecordedForQueriesAndShownOnceOnMetrics() throws {
        let recorder = try #require(server.services.compactMap { $0 as? SelfMetricsRecorder }.first)
        #expect(recorder.recordOnce() == nil)
        let query = text(handle("GET", "/api/v1/query?query=klaxon_series"))
        #expect(query.contains(#""__name__":"klaxon_series","instance":"127.0.0.1:9477","job":"klaxon""#), "\(query)")
        let ingested = text(handle("GET", "/api/v1/query?query=klaxon_ingested_samples_total"))
        #expect(
            ingested.contains(
                #""__name__":"klaxon_ingested_samples_total","instance":"127.0.0.1:9477","job":"klaxon","path":"json""#)
        )
        let body = text(handle("GET", "/metrics"))
        #expect(body.components(separatedBy: "# TYPE klaxon_series gauge").count == 2)
        #expect(!body.contains("job=\"klaxon\""), "the recorded copy is not exposed")
    }

    @Test func metadataGivesEachPushedFamilysTypeAndHelpAsAnOpenMetricsScrapeNamesIt() throws {
        let push = handle(
            "PUT", "/metrics/job/engine",
            body: "# HELP engine_fills_total Orders filled.\n# TYPE engine_fills_total counter\nengine_fills_total 3\n"
                + "engine_depth 2\n")
        #expect(push.status == .ok)
        let fills =
            try JSONSerialization.jsonObject(
                with: Data(handle("GET", "/api/v1/metadata?metric=engine_fills").body)) as? [String: Any]
        let entries = (fills?["data"] as? [String: [[String: String]]])?["engine_fills"]
        #expect(entries == [["type": "counter", "help": "Orders filled.", "unit": ""]])
        let all = text(handle("GET", "/api/v1/metadata"))
        #expect(all.contains(#""engine_depth":[{"type":"unknown","help":"","unit":""}]"#), "\(all)")
        #expect(text(handle("GET", "/api/v1/metadata?limit=0")) == #"{"status":"success","data":{}}"#)
        #expect(handle("GET", "/api/v1/metadata?limit=some").status == .badRequest)
    }

    @Test func buildInformationNamesThePrometheusReleaseKlaxonAnswersAs() {
        let response = handle("GET", "/api/v1/status/buildinfo")
        #expect(response.status == .ok)
        #expect(text(response).contains(#""version":"2.42.0""#))
        #expect(text(response).contains("klaxon \(KlaxonVersion.version)"))
    }

    @Test func requestsAreCountedByRouteNotByRawPath() {
        _ = handle("GET", "/nowhere/at/all")
        _ = handle("DELETE", "/metrics/job/a")
        _ = handle("DELETE", "/metrics/job/b/instance/c")
        _ = handle("PATCH", "/metrics")
        let body = text(handle("GET", "/metrics"))
        #expect(body.contains("klaxon_http_requests_total{code=\"404\",handler=\"other\"} 1\n"))
        #expect(body.contains("klaxon_http_requests_total{code=\"202\",handler=\"/metrics/job/\"} 2\n"))
        #expect(body.contains("klaxon_http_requests_total{code=\"405\",handler=\"/metrics\"} 1\n"))
        #expect(body.contains("klaxon_http_request_duration_seconds_count{handler=\"/metrics/job/\"} 2\n"))
        #expect(!body.contains("handler=\"/nowhere"))
    }

    @Test func openMetricsAndGzipFollowTheRequestHeaders() throws {
        let open = handle("GET", "/metrics", headers: ["Accept": "application/openmetrics-text; version=1.0.0"])
        #expect(open.headers["Content-Type"] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        #expect(text(open).hasSuffix("# EOF\n"))
        let zipped = handle("GET", "/metrics", headers: ["Accept-Encoding": "gzip, deflate"])
        #expect(zipped.headers["Content-Encoding"] == "gzip")
        let unzipped = String(decoding: try Gzip.decompress(zipped.body), as: UTF8.self)
        #expect(unzipped.contains("# TYPE klaxon_build_info gauge"))
        #expect(handle("GET", "/metrics", headers: ["Accept-Encoding": "gzip;q=0"]).headers["Content-Encoding"] == nil)
    }

    @Test func queryEvaluatesOverTheStoreAtTheGivenTime() throws {
        _ = handle("POST", "/api/v1/push", body: #"{"job":"risk","samples":[{"name":"exposure","value":2.5}]}"#)
        let now = text(handle("GET", "/api/v1/query?query=exposure*2"))
        #expect(now.contains(#""value":[1700000000,"5"]"#), "\(now)")
        let later = text(handle("GET", "/api/v1/query?query=exposure&time=1700000000.5"))
        #expect(later.contains(#""value":[1700000000.5,"2.5"]"#), "\(later)")
        // Beyond the five-minute lookback the sample is no longer returned, as in Prometheus.
        let stale = text(handle("GET", "/api/v1/query?query=exposure&time=1700000400"))
        #expect(stale.contains(#""result":[]"#), "\(stale)")
    }

    @Test(arguments: [
        ("/api/v1/query", #"invalid parameter "query": 1:1: "#),
        ("/api/v1/query?query=rate(", #"invalid parameter "query": 1:"#),
        (
            "/api/v1/query?query=up&time=soon",
            #"invalid parameter "time": Invalid time value for 'time': cannot parse "soon" to a valid timestamp"#
        ),
    ])
    func badQueriesAre400BadData(target: String, mentions: String) throws {
        let response = handle("GET", target)
        #expect(response.status == .badRequest)
        let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: String]
        #expect(object?["errorType"] == "bad_data")
        #expect(object?["error"]?.contains(mentions) == true, "\(object ?? [:])")
    }

    @Test func queryParametersMayComeInAFormBody() {
        let response = handle(
            "POST", "/api/v1/query", headers: ["Content-Type": "application/x-www-form-urlencoded"],
            body: "query=vector(1)%2B1&time=1700000001")
        #expect(text(response).contains(#""value":[1700000001,"2"]"#), "\(text(response))")
        let wrongType = handle("POST", "/api/v1/query", headers: ["Content-Type": "application/json"], body: "{}")
        #expect(wrongType.status == .badRequest)
    }

    @Test func readinessWaitsForTheFirstRuleLoad() {
        #expect(handle("GET", "/-/healthy").status == .ok)
        #expect(handle("GET", "/-/ready").status == .serviceUnavailable)
        #expect(server.reloader.loadInitial().succeeded)
        #expect(handle("GET", "/-/ready").status == .ok)
        #expect(handle("POST", "/-/reload").status == .ok)
        #expect(handle("GET", "/-/reload").status == .methodNotAllowed)
    }

    @Test func timeParameterAcceptsRFC3339() {
        _ = handle("POST", "/api/v1/push", body: #"{"samples":[{"name":"x","value":1}]}"#)
        let response = text(handle("GET", "/api/v1/query?query=x&time=2023-11-14T22:13:20.250Z"))
        #expect(response.contains(#""value":[1700000000.25,"1"]"#), "\(response)")
    }
}
