import Foundation
import KlaxonTestSupport
import Testing

/// Klaxon's query API answers as a real Prometheus does over the same data.
///
/// Samples are pushed to Klaxon with explicit timestamps, one batch at a time; Prometheus scrapes
/// Klaxon (`honor_labels`, timestamps honoured) until it holds each batch, so both hold the same
/// samples at the same times. The same range queries, series and label requests then go to both
/// over a window both hold, and the answers must agree: the same series with the same labels, points
/// at the same step timestamps (`start + k × step`, as Prometheus aligns them), values equal within
/// floating-point tolerance.
@Suite(
    .enabled(if: Executables.klaxon() != nil || Executables.peersRequired, "the klaxon binary is not built"),
    .enabled(if: Executables.shouldRun(needing: .prometheus), "needs prometheus")
)
struct RangeQueryDifferentialTests {
    /// Pushed batches, 15 s apart.
    private static let batches = 13
    private static let interval: Int64 = 15_000

    /// The samples of batch `k`: counters (one with a reset), gauges (one that stops being
    /// pushed and so keeps its last sample) and values without a short decimal form.
    private static func batch(_ k: Int, at time: Int64) -> String {
        var samples: [(name: String, type: String, labels: String, value: Double)] = [
            ("diff_fills_total", "counter", #""venue":"a""#, Double(3 * k)),
            ("diff_fills_total", "counter", #""venue":"b""#, k < 6 ? Double(10 * k) : Double((k - 6) * 4 + 1)),
            ("diff_depth", "gauge", #""queue":"x""#, Double(k % 4) * 1.25 - 0.5),
            ("diff_ratio", "gauge", #""venue":"a""#, 1 / Double(k + 1)),
        ]
        if k < 5 { samples.append(("diff_depth", "gauge", #""queue":"y""#, Double(100 - k))) }
        let items = samples.map { sample in
            #"{"name":"\#(sample.name)","type":"\#(sample.type)","labels":{\#(sample.labels),"instance":"e1"},"#
                + #""value":\#(sample.value),"timestamp":\#(time)}"#
        }
        return #"{"job":"diff","samples":["# + items.joined(separator: ",") + "]}"
    }

    private static let queries = [
        "diff_depth", "diff_fills_total", "rate(diff_fills_total[1m])", "increase(diff_fills_total[45s])",
        "sum by (instance) (rate(diff_fills_total[30s]))", "max_over_time(diff_depth[30s])",
        "avg_over_time(diff_ratio[1m]) * 3", "diff_depth > 0.5", "diff_depth offset 30s", "1 - diff_ratio",
        "count(diff_depth)", "deriv(diff_depth[1m])", "resets(diff_fills_total[2m])", "time() - 1",
        "absent(diff_missing)", "diff_fills_total / on (instance, venue) group_left diff_ratio",
    ]

    @Test func rangeQueriesSeriesAndLabelsAgreeWithPrometheus() async throws {
        let klaxon = try await KlaxonInstance.start()
        let prometheus = try await PrometheusPeer.start(targets: ["127.0.0.1:\(klaxon.port)"])
        // Four minutes back: inside the lookback of an instant query at the end, and inside
        // what Prometheus's head block accepts.
        let base = (Int64(Date().timeIntervalSince1970) - 240) * 1000
        for k in 0..<Self.batches {
            let pushed = try await klaxon.send(
                "POST", "/api/v1/push", headers: ["Content-Type": "application/json"],
                body: Array(Self.batch(k, at: base + Int64(k) * Self.interval).utf8))
            #expect(pushed.status == 200, "\(pushed.text)")
            try await waitUntil("prometheus to scrape batch \(k)", timeout: .seconds(20)) {
                let count = try await prometheus.query("count_over_time(diff_ratio[10m])")
                return count.first?.value == String(k + 1)
            }
        }

        let end = base + Int64(Self.batches - 1) * Self.interval
        // A start that is not on a sample, and steps that are and are not multiples of the interval.
        let windows: [(start: Int64, step: String)] = [(base + 7_000, "15"), (base + 7_000, "10s"), (base, "7.5")]
        for query in Self.queries {
            for window in windows {
                let parameters = [
                    ("query", query), ("start", Self.seconds(window.start)), ("end", Self.seconds(end)),
                    ("step", window.step),
                ]
                let ours = try await Self.matrix(klaxon.send("GET", Self.target("/api/v1/query_range", parameters)))
                let theirs = try await Self.matrix(prometheus.get(Self.target("/api/v1/query_range", parameters)))
                Self.compare(ours, theirs, "\(query) from \(window.start) step \(window.step)")
            }
        }

        let start = Self.seconds(base)
        let metadata: [(path: String, parameters: [(String, String)])] = [
            ("/api/v1/series", [("match[]", "diff_fills_total"), ("match[]", #"{__name__=~"diff_.*",queue="x"}"#)]),
            ("/api/v1/series", [("match[]", #"{job="diff"}"#), ("start", start), ("end", Self.seconds(end))]),
            ("/api/v1/labels", [("match[]", #"{job="diff"}"#)]),
            ("/api/v1/labels", [("match[]", "diff_depth"), ("start", start)]),
            ("/api/v1/label/queue/values", [("match[]", #"{job="diff"}"#)]),
            ("/api/v1/label/__name__/values", [("match[]", #"{instance="e1"}"#)]),
        ]
        for request in metadata {
            let target = Self.target(request.path, request.parameters)
            let ours = try await klaxon.send("GET", target)
            let theirs = try await prometheus.get(target)
            #expect(ours.status == 200 && theirs.status == 200, "\(target): \(ours.text)")
            let ourData = try Self.data(Data(ours.body))
            let theirData = try Self.data(theirs.body)
            #expect(ourData == theirData, "\(target)")
            #expect(ourData != "[]", "\(target) found nothing; the comparison would prove nothing")
        }

        try await prometheus.stop()
        #expect(try await klaxon.stop() == .exited(0))
    }

    // MARK: - Reading the answers

    /// One series of a matrix: its labels and its points as (seconds, value text).
    private struct Series: CustomStringConvertible {
        var metric: [String: String]
        var points: [(time: Double, value: String)]
        var description: String { "\(metric) \(points)" }
    }

    private static func matrix(_ response: (status: Int, body: Data)) throws -> [Series] {
        guard response.status == 200 else {
            throw KlaxonInstanceError(
                message: "answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        }
        let root = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        guard let data = root?["data"] as? [String: Any], data["resultType"] as? String == "matrix",
            let result = data["result"] as? [[String: Any]]
        else {
            throw KlaxonInstanceError(message: "not a matrix: \(String(decoding: response.body, as: UTF8.self))")
        }
        return try result.map { entry in
            guard let metric = entry["metric"] as? [String: String], let values = entry["values"] as? [[Any]] else {
                throw KlaxonInstanceError(message: "not a matrix series: \(entry)")
            }
            let points = values.compactMap { pair -> (Double, String)? in
                guard pair.count == 2, let time = pair[0] as? Double, let value = pair[1] as? String else { return nil }
                return (time, value)
            }
            return Series(metric: metric, points: points)
        }
    }

    private static func matrix(_ response: LoopbackHTTPResponse) throws -> [Series] {
        try matrix((response.status, Data(response.body)))
    }

    /// The `data` member re-serialised with sorted keys, so two answers compare as text.
    private static func data(_ body: Data) throws -> String {
        let root = try JSONSerialization.jsonObject(with: body) as? [String: Any]
        let data = root?["data"] ?? NSNull()
        let text = try JSONSerialization.data(withJSONObject: data, options: [.sortedKeys, .fragmentsAllowed])
        return String(decoding: text, as: UTF8.self)
    }

    private static func compare(_ ours: [Series], _ theirs: [Series], _ what: String) {
        #expect(
            ours.map(\.metric) == theirs.map(\.metric), "\(what): series differ\nklaxon: \(ours)\nprometheus: \(theirs)"
        )
        #expect(!theirs.isEmpty, "\(what): Prometheus returned nothing; the comparison would prove nothing")
        for (mine, other) in zip(ours, theirs) where mine.metric == other.metric {
            #expect(
                mine.points.map(\.time) == other.points.map(\.time),
                "\(what) \(mine.metric): timestamps differ\nklaxon: \(mine.points)\nprometheus: \(other.points)")
            for (a, b) in zip(mine.points, other.points) where !close(a.value, b.value) {
                Issue.record("\(what) \(mine.metric) at \(a.time): klaxon \(a.value), prometheus \(b.value)")
            }
        }
    }

    /// Equal text, or numbers within 1e-9 relative (the two engines may sum in another order).
    private static func close(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = Double(a), let y = Double(b) else { return false }
        return abs(x - y) <= 1e-9 * max(1, abs(x), abs(y))
    }

    // MARK: - Requests

    private static func seconds(_ milliseconds: Int64) -> String {
        milliseconds % 1000 == 0 ? String(milliseconds / 1000) : String(Double(milliseconds) / 1000)
    }

    private static func target(_ path: String, _ parameters: [(String, String)]) -> String {
        var components = URLComponents()
        components.path = path
        components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        // URLComponents leaves `+` alone, which a query string reads as a space.
        let query = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        return components.percentEncodedPath + "?" + query
    }
}
