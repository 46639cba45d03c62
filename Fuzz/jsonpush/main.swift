import KlaxonConfig
import KlaxonIngest
import KlaxonMetrics

/// Feeds arbitrary bytes to the JSON push decoder, the Pushgateway path parser and the JSON scrape
/// mapping: each must throw or answer, never crash. The first line is also tried as a push path.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    if let batch = try? JSONPushBatch(
        decoding: bytes, limits: JSONPushBatch.Limits(maxBytes: 1 << 20, maxSamples: 1000))
    {
        let store = SeriesStore(options: SeriesStoreOptions(maxSeries: 1000))
        try? store.append(owner: JSONPushHandler.owner(job: batch.job), batch.families, now: 1_767_225_600_000)
    }
    if let document = try? JSONParser(maxBytes: 1 << 20, maxDepth: 32).parse(bytes) {
        let metrics = ["a[*].b", "a[*].c[*].d", "[0].x", "a.b[2]", "$.v"].compactMap { path in
            (try? JSONPath(parsing: path)).map {
                JSONMetricMapping(
                    name: "m", path: $0,
                    labels: [JSONLabelMapping(name: "l", path: (try? JSONPath(parsing: "n")) ?? $0)],
                    type: .gauge, help: nil)
            }
        }
        for metric in metrics {
            _ = try? JSONScrapeExtractor.families(from: document, mapping: JSONScrapeMapping(metrics: [metric]))
        }
    }
    let firstLine = bytes.prefix { $0 != 0x0A }
    if let path = String(validating: firstLine, as: UTF8.self) {
        if let key = try? PushGroupKey(rawPath: path) {
            _ = key.description
        }
        _ = try? PushGroupKey(rawPath: "/metrics/job/" + path)
        _ = Base64URL.decode(path)
    }
    return 0
}
