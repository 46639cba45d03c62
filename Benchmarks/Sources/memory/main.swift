// Fills a SeriesStore with an hour of the peers' workload, in-process with synthetic timestamps, and prints
// what it holds: the 10 000-series body (gen_body.py 100, plus job="bench" as the Pushgateway adds it) PUT
// once a second for `seconds` (default 3 900: an hour kept, then 5 minutes of the ring rolling over).
//
//   memory [steady|jitter|drift|small] [seconds]
//
// steady: the same body every second at exact 1 000 ms steps (a scrape-aligned producer);
// jitter: the same body, each push stamped on arrival 1 000 ms ± 0…9 ms apart (what `klaxon serve` sees
//         from a 1 Hz pusher) — the peers' workload;
// drift:  jitter, and every value moves every second (a small deterministic drift, as ruleeval uses):
//         the hard case for XOR values;
// small:  jitter, but each family pushed as two groups of 50 series, below the store's tabled batch size
//         (64), so every series codes its own timestamps (what producers pushing a few series each cost).
// Prints the store's own accounting (klaxon_store_bytes), bytes per sample, the process's RSS after
// the fill, and the median time of one PUT's store work (parse excluded) over the last 300 pushes.
import BenchSupport
import Foundation
import KlaxonMetrics

let arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first ?? "jitter"
let seconds = arguments.count > 1 ? Int(arguments[1]) ?? 3_900 : 3_900
guard ["steady", "jitter", "drift", "small"].contains(mode) else {
    print("memory: mode must be steady, jitter, drift or small, not \(mode)")
    exit(2)
}

let families: [ParsedFamily]
do {
    families = try TextFormatParser().parse(try Workload.body10k())
} catch {
    print("memory: \(error)")
    exit(1)
}
let withJob = families.map { family in
    var family = family
    family.samples = family.samples.map { sample in
        var sample = sample
        sample.labels = sample.labels.setting("job", to: "bench")
        return sample
    }
    return family
}

/// The process's resident set, from /proc/self/status, in bytes.
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        let fields = line.split(separator: " ")
        if fields.count >= 2, let kilobytes = Int(fields[1]) { return kilobytes * 1024 }
    }
    return 0
}

let rssBefore = residentBytes()
let store = SeriesStore()
let owner = SeriesOwner.pushGroup(Labels(["job": "bench"]))
let start: Int64 = 1_700_000_000_000
var time = start
var random: UInt64 = 42
var batch = withJob
var pushTimes: [Double] = []
let clock = ContinuousClock()
for second in 0..<seconds {
    if mode != "steady" {
        random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        time = start + Int64(second) * 1_000 + Int64((random >> 33) % 10)
    } else {
        time = start + Int64(second) * 1_000
    }
    if mode == "drift" {
        let drift = Double(second % 7 - 3) * 0.25
        for familyIndex in batch.indices {
            for sampleIndex in batch[familyIndex].samples.indices {
                batch[familyIndex].samples[sampleIndex].value = withJob[familyIndex].samples[sampleIndex].value + drift
            }
        }
    }
    let began = clock.now
    do {
        if mode == "small" {
            for (index, family) in batch.enumerated() {
                let half = family.samples.count / 2
                for (part, samples) in [family.samples[..<half], family.samples[half...]].enumerated() {
                    var piece = family
                    piece.samples = Array(samples)
                    let group = SeriesOwner.pushGroup(Labels(["job": "bench", "part": "\(index)-\(part)"]))
                    try store.replace(owner: group, with: [piece], now: time)
                }
            }
        } else {
            try store.replace(owner: owner, with: batch, now: time)
        }
    } catch {
        print("memory: push \(second) refused: \(error)")
        exit(1)
    }
    if second >= seconds - 300 { pushTimes.append(Timing.seconds(clock.now - began)) }
}
let statistics = store.statistics
let memory = statistics.memory
let rssAfter = residentBytes()
pushTimes.sort()
let medianPush = pushTimes.isEmpty ? 0 : pushTimes[pushTimes.count / 2]
func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_000_000) }
let perSample = memory.sampleCount > 0 ? Double(memory.samples) / Double(memory.sampleCount) : 0
print(
    "memory \(mode): \(statistics.storedSeries) series × \(seconds) s pushed at 1 Hz, "
        + "retention \(store.retentionInEffect / 1000) s, \(memory.sampleCount) samples kept")
print("  samples \(megabytes(memory.samples)) (\(String(format: "%.3f", perSample)) bytes/sample; raw 16)")
print("  labels  \(megabytes(memory.labels)) (estimated)")
print("  index   \(megabytes(memory.index)) (estimated)")
print(
    "  store   \(megabytes(memory.total)) total; process RSS \(megabytes(rssAfter)) (\(megabytes(rssBefore)) before the fill)"
)
print("  one push's store work: \(String(format: "%.2f", medianPush * 1e3)) ms median of the last \(pushTimes.count)")
print(
    "KLAXON_MEMORY mode=\(mode) samples_bytes=\(memory.samples) labels_bytes=\(memory.labels) "
        + "index_bytes=\(memory.index) sample_count=\(memory.sampleCount) "
        + "bytes_per_sample=\(String(format: "%.4f", perSample)) rss_bytes=\(rssAfter) push_seconds=\(medianPush)")

// MARK: - Read paths after the fill (what rule evaluation and /metrics do)

/// Median seconds of `body` over `repetitions` runs.
func medianSeconds(_ repetitions: Int, _ body: () -> Void) -> Double {
    let times = Timing.measure(repetitions: repetitions, warmup: 3, body).sorted()
    return times[times.count / 2]
}
let lastTime = time
guard let name = try? LabelMatcher(Labels.metricNameLabel, .equal, "bench_metric_5"),
    let symbol = try? LabelMatcher("symbol", .equal, "AAPL")
else { exit(1) }
var sink = 0
let latestSeconds = medianSeconds(200) {
    sink &+= store.selectLatest([name], start: lastTime - 300_000, end: lastTime).count
}
let rangeSeconds = medianSeconds(200) {
    for series in store.select([name, symbol], start: lastTime - 60_000, end: lastTime) {
        sink &+= series.samples.count
    }
}
let hourSeconds = medianSeconds(20) {
    for series in store.select([name], start: lastTime - 3_600_000, end: lastTime) { sink &+= series.samples.count }
}
let snapshotSeconds = medianSeconds(30) { sink &+= store.snapshot().families.count }
print(
    "  reads: newest of 100 series \(String(format: "%.1f", latestSeconds * 1e6)) µs; "
        + "1 min of 10 series \(String(format: "%.1f", rangeSeconds * 1e6)) µs; "
        + "1 h of 100 series \(String(format: "%.2f", hourSeconds * 1e3)) ms; "
        + "snapshot of 10 000 \(String(format: "%.2f", snapshotSeconds * 1e3)) ms (\(sink % 2))")
print(
    "KLAXON_MEMORY_READS latest_100_seconds=\(latestSeconds) range_1m_10_seconds=\(rangeSeconds) "
        + "range_1h_100_seconds=\(hourSeconds) snapshot_seconds=\(snapshotSeconds)")
