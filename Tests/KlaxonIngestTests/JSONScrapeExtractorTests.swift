import KlaxonConfig
import KlaxonIngest
import KlaxonMetrics
import Testing

@Suite struct JSONScrapeExtractorTests {
    private let document = """
        {"engine": {"uptime": 3600, "healthy": true, "version": "1.2"},
         "venues": [{"name": "binance", "latency_ms": 12.5, "meta": {"region": "ap", "tier": 1}},
                    {"name": "kraken", "latency_ms": "17", "meta": {"region": null}},
                    {"name": "okx", "latency_ms": null},
                    {"name": "bybit"}]}
        """

    private func metric(_ name: String, _ path: String, labels: [String: String] = [:], type: MetricType = .gauge)
        throws
        -> JSONMetricMapping
    {
        JSONMetricMapping(
            name: name, path: try JSONPath(parsing: path),
            labels: try labels.sorted { $0.key < $1.key }.map {
                JSONLabelMapping(name: $0.key, path: try JSONPath(parsing: $0.value))
            },
            type: type, help: nil)
    }

    private func extract(_ metrics: [JSONMetricMapping], from text: String? = nil) throws -> [ParsedFamily] {
        let value = try JSONParser().parse(Array((text ?? document).utf8))
        return try JSONScrapeExtractor.families(from: value, mapping: JSONScrapeMapping(metrics: metrics))
    }

    @Test func wildcardAnchorsGiveOneSamplePerElementWithRelativeLabels() throws {
        let families = try extract([
            try metric("lat", "venues[*].latency_ms", labels: ["venue": "name", "region": "meta.region"])
        ])
        #expect(families.count == 1)
        #expect(
            families[0].samples == [
                ParsedSample(name: "lat", labels: Labels(["venue": "binance", "region": "ap"]), value: 12.5),
                ParsedSample(name: "lat", labels: Labels(["venue": "kraken"]), value: 17),
            ])
    }

    @Test func pathsWithoutWildcardReadFromTheRoot() throws {
        let families = try extract([
            try metric("uptime", "engine.uptime", labels: ["version": "engine.version"]),
            try metric("healthy", "$.engine.healthy"),
            try metric("first", "venues[0].meta.tier", labels: ["v": "venues[0].name"]),
        ])
        #expect(
            families.map(\.samples) == [
                [ParsedSample(name: "uptime", labels: Labels(["version": "1.2"]), value: 3600)],
                [ParsedSample(name: "healthy", labels: .empty, value: 1)],
                [ParsedSample(name: "first", labels: Labels(["v": "binance"]), value: 1)],
            ])
    }

    @Test func numericLabelValuesKeepTheirWrittenForm() throws {
        let families = try extract([try metric("lat", "venues[0].latency_ms", labels: ["tier": "venues[0].meta.tier"])])
        #expect(families[0].samples.first?.labels == Labels(["tier": "1"]))
    }

    @Test func sameNameMetricsMergeIntoOneFamily() throws {
        let families = try extract([
            try metric("x", "engine.uptime", labels: ["k": "engine.version"]), try metric("x", "venues[0].latency_ms"),
        ])
        #expect(families.count == 1)
        #expect(families[0].samples.count == 2)
    }

    @Test(arguments: [
        (
            #"{"v": [{"x": "n/a"}]}"#, "v[*].x", [String: String](),
            "v[0].x: expected a number, a boolean or a numeric string, got \"n/a\""
        ),
        (#"{"v": [{"x": 1, "l": {"a": 1}}]}"#, "v[*].x", ["l": "l"], "v[0].l: a label value must be a string"),
        (#"{"v": {"x": [1]}}"#, "v.x", [String: String](), "v.x: expected a number"),
    ])
    func badValuesNameTheConcretePath(body: String, path: String, labels: [String: String], message: String) throws {
        let mapping = try metric("m", path, labels: labels)
        #expect {
            _ = try extract([mapping], from: body)
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test func differentTypesUnderOneNameAreRefused() throws {
        #expect(throws: JSONScrapeError.self) {
            _ = try extract([try metric("x", "engine.uptime"), try metric("x", "venues[0].latency_ms", type: .counter)])
        }
    }
}
