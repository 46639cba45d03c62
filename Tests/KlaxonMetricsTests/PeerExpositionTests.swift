import Foundation
import KlaxonMetrics
import Testing

/// The peers judge the format: promtool lints the text exposition, prometheus_client reads both formats back.
@Suite struct PeerExpositionTests {
    typealias F = Fixtures

    /// A lint-clean exposition: every family has help, counters end in `_total`, units are base units.
    static func lintCleanStore() throws -> SeriesStore {
        let store = SeriesStore()
        try store.replace(
            owner: F.job,
            with: [
                F.family(
                    "engine_orders_total", .counter, help: "Orders \"placed\" \\ sent.",
                    [
                        F.sample("engine_orders_total", ["venue": "a\"b\\c\nd"], 12),
                        F.sample("engine_orders_total", ["venue": "b"], 1e9),
                    ]),
                F.family(
                    "engine_rtt_seconds", .histogram, help: "Round trip.",
                    [
                        F.sample("engine_rtt_seconds_bucket", ["le": "0.005"], 1),
                        F.sample("engine_rtt_seconds_bucket", ["le": "+Inf"], 2),
                        F.sample("engine_rtt_seconds_sum", 0.0125), F.sample("engine_rtt_seconds_count", 2),
                    ]),
                F.family(
                    "engine_lag_seconds", .summary, help: "Lag.",
                    [
                        F.sample("engine_lag_seconds", ["quantile": "0.99"], 0.000012),
                        F.sample("engine_lag_seconds_sum", 3),
                        F.sample("engine_lag_seconds_count", 7),
                    ]),
                F.family(
                    "engine_balance_ratio", .gauge, help: "Balance.",
                    [
                        F.sample("engine_balance_ratio", ["asset": "btc"], .nan),
                        F.sample("engine_balance_ratio", ["asset": "eth"], -.infinity),
                        F.sample("engine_balance_ratio", ["asset": "usd"], 123_456_789.125),
                    ]),
            ], now: 0)
        return store
    }

    @Test(.enabled(if: PeerTools.promtool != nil, "promtool is not installed"))
    func promtoolCheckMetricsFindsNothing() async throws {
        let registry = try MetricRegistryTests.registry()
        let body = registry.render(with: try Self.lintCleanStore(), format: .text)
        let result = try await PeerTools.run(PeerTools.promtool ?? "promtool", ["check", "metrics"], input: body)
        #expect(result.output.isEmpty, "promtool findings:\n\(result.output)")
        #expect(result.status == 0)
    }

    static let readBack = """
        import json, sys
        from prometheus_client.parser import text_string_to_metric_families as text
        from prometheus_client.openmetrics.parser import text_string_to_metric_families as om
        parse = om if sys.argv[1] == "om" else text
        out = []
        for family in parse(sys.stdin.read()):
            for s in family.samples:
                key = s.name + "|" + "&".join(k + "=" + v for k, v in sorted(s.labels.items()))
                out.append([key, float(s.value).hex()])
        print(json.dumps(sorted(out)))
        """

    @Test(
        .enabled(if: PeerTools.pythonClient, "python3 with prometheus_client is not installed"),
        arguments: ExpositionFormat.allCases)
    func prometheusClientReadsBackEveryValueExactly(format: ExpositionFormat) async throws {
        let store = try ExpositionWriterTests.mixedStore()
        try store.append(
            owner: F.other,
            [
                F.gauge("engine_balance", F.sample("engine_balance", ["job": "other"], 0.1 + 0.2)),
                F.family("build", .info, help: "Build.", [F.sample("build_info", ["version": "1.2"], 1)]),
                F.family(
                    "mode", .stateset, [F.sample("mode", ["mode": "live"], 1), F.sample("mode", ["mode": "paper"], 0)]),
                F.family(
                    "queue_size", .gaugehistogram,
                    [
                        F.sample("queue_size_bucket", ["le": "+Inf"], 3), F.sample("queue_size_gsum", 9),
                        F.sample("queue_size_gcount", 3),
                    ]),
            ], now: 0)
        let body = ExpositionWriter.render(store.snapshot(), format: format)
        let result = try await PeerTools.run(
            PeerTools.python ?? "python3", ["-c", Self.readBack, format == .openMetrics ? "om" : "text"], input: body)
        try #require(result.status == 0, "prometheus_client refused the exposition:\n\(result.output)")
        let decoded = try JSONDecoder().decode([[String]].self, from: Data(result.output.utf8))
        var expected: [String: Double] = [:]
        for family in store.snapshot().families {
            for series in family.series {
                let name = family.sampleName(of: series)
                expected[Self.key(prefix: family.prefixText(of: series), name: name)] = series.value
            }
        }
        #expect(decoded.count == expected.count)
        for pair in decoded where pair.count == 2 {
            let value = Double(pair[1]) ?? 0
            let wanted = expected[pair[0]]
            #expect(wanted != nil, "unexpected sample \(pair[0])")
            if let wanted {
                #expect(value.bitPattern == wanted.bitPattern || (value.isNaN && wanted.isNaN), "\(pair[0])")
            }
        }
    }

    /// The python key for a series, built from the snapshot's labels rather than its rendered text.
    private static func key(prefix: String, name: String) -> String {
        let labels = Self.labels(ofPrefix: prefix, name: name)
        return name + "|" + labels.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    private static func labels(ofPrefix prefix: String, name: String) -> [Label] {
        // Undo the label escaping of a rendered prefix: `name{a="x\"y",b="z"}`.
        var labels: [Label] = []
        var rest = Substring(prefix.dropFirst(name.count))
        guard rest.first == "{" else { return [] }
        rest = rest.dropFirst()
        while let equals = rest.firstIndex(of: "=") {
            let labelName = String(rest[..<equals])
            rest = rest[rest.index(equals, offsetBy: 2)...]
            var value = ""
            var escaped = false
            while let character = rest.first {
                rest = rest.dropFirst()
                if escaped {
                    value.append(character == "n" ? "\n" : character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    break
                } else {
                    value.append(character)
                }
            }
            labels.append(Label(labelName, value))
            rest = rest.dropFirst()
        }
        return labels
    }
}
