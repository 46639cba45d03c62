import Foundation
import KlaxonTestSupport
import Testing

/// The query API refuses a bad request as a real Prometheus 2.42 does: the same status, error type
/// and words, for every parameter it reads (`time`, `start`, `end`, `step`, `timeout`, `query`,
/// `match[]`, label names) and for selectors that are not series selectors.
@Suite(
    .enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"),
    .enabled(if: Executables.shouldRun(needing: .prometheus), "needs prometheus")
)
struct QueryAPIRefusalDifferentialTests {
    private static let requests: [(path: String, parameters: [(String, String)])] = [
        ("/api/v1/query_range", [("query", "m"), ("start", "100"), ("end", "160"), ("step", "0")]),
        ("/api/v1/query_range", [("query", "m"), ("start", "100"), ("end", "160"), ("step", "-1")]),
        ("/api/v1/query_range", [("query", "m"), ("start", "160"), ("end", "100"), ("step", "1")]),
        ("/api/v1/query_range", [("query", "m"), ("start", "0"), ("end", "60000"), ("step", "1")]),
        ("/api/v1/query_range", [("query", "m"), ("start", "abc"), ("end", "160"), ("step", "1")]),
        ("/api/v1/query_range", [("query", "m"), ("start", "100"), ("end", "160")]),
        ("/api/v1/query_range", [("query", "m"), ("end", "160"), ("step", "1")]),
        ("/api/v1/query_range", [("query", "m"), ("start", "100"), ("end", "160"), ("step", "1x")]),
        ("/api/v1/query_range", [("query", "m{"), ("start", "100"), ("end", "160"), ("step", "1")]),
        ("/api/v1/query_range", [("query", "m[1m]"), ("start", "100"), ("end", "160"), ("step", "1")]),
        ("/api/v1/query_range", [("query", "m"), ("start", "100"), ("end", "160"), ("step", "15"), ("timeout", "x")]),
        ("/api/v1/query_range", [("query", ""), ("start", "100"), ("end", "160"), ("step", "15")]),
        ("/api/v1/query_range", [("query", "\"a\""), ("start", "100"), ("end", "160"), ("step", "15")]),
        ("/api/v1/query", [("query", "m"), ("time", "x")]),
        ("/api/v1/query", [("query", "m"), ("timeout", "soon")]),
        ("/api/v1/query", []),
        ("/api/v1/query", [("query", "sum(rate(x[5m])))")]),
        ("/api/v1/query", [("query", "x offset 1m offset 2m")]),
        ("/api/v1/query", [("query", "topk(x, x)")]),
        ("/api/v1/series", []),
        ("/api/v1/series", [("match[]", "{")]),
        ("/api/v1/series", [("match[]", "{a=~\".*\"}")]),
        ("/api/v1/series", [("match[]", "{}")]),
        ("/api/v1/series", [("match[]", "rate(x[5m])")]),
        ("/api/v1/series", [("match[]", "up offset 5m")]),
        ("/api/v1/series", [("match[]", "up + 1")]),
        ("/api/v1/series", [("match[]", "on")]),
        ("/api/v1/series", [("match[]", "up}")]),
        ("/api/v1/series", [("match[]", "m"), ("start", "x")]),
        ("/api/v1/labels", [("match[]", "{")]),
        ("/api/v1/labels", [("match[]", "{a=~\"\"}")]),
        ("/api/v1/labels", [("match[]", "sum(up)")]),
        ("/api/v1/labels", [("end", "yesterday")]),
        ("/api/v1/label/a-b/values", []),
        ("/api/v1/label/a/values", [("match[]", "1")]),
    ]

    @Test func badRequestsAreRefusedInPrometheusWords() async throws {
        let klaxon = try await KlaxonInstance.start()
        let prometheus = try await PrometheusPeer.start(configuration: "global: {scrape_interval: 1m}\n", job: "none")
        for request in Self.requests {
            let target = Self.target(request.path, request.parameters)
            let ours = try await klaxon.send("GET", target)
            let theirs = try await prometheus.get(target)
            #expect(theirs.status == 400, "\(target): Prometheus accepted it; the case proves nothing")
            #expect(ours.status == theirs.status, "\(target)")
            #expect(
                ours.text == String(decoding: theirs.body, as: UTF8.self),
                "\(target)\nklaxon:     \(ours.text)\nprometheus: \(String(decoding: theirs.body, as: UTF8.self))")
        }
        try await prometheus.stop()
        #expect(try await klaxon.stop() == .exited(0))
    }

    private static func target(_ path: String, _ parameters: [(String, String)]) -> String {
        var components = URLComponents()
        components.path = path
        components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        // URLComponents leaves `+` alone, which a query string reads as a space.
        let query = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return components.percentEncodedPath + (query.isEmpty ? "" : "?" + query)
    }
}
