// Renders the peers' 10 000-series body with Klaxon's ExpositionWriter and with swift-prometheus 2.4.1,
// alternating the two in rounds so both see the same machine load, and prints medians and the ratio.
// Also times TextFormatParser on the same body.
import BenchSupport
import Foundation
import KlaxonMetrics
import Prometheus

let options = RenderOptions(CommandLine.arguments.dropFirst())
let body: [UInt8]
do {
    body = try Workload.body10k()
} catch {
    print("render: \(error)")
    exit(1)
}

// MARK: - Parse

let parser = TextFormatParser()
let families: [ParsedFamily]
do {
    families = try parser.parse(body)
} catch {
    print("render: the workload body does not parse: \(error)")
    exit(1)
}
let sampleCount = families.reduce(0) { $0 + $1.samples.count }
var parsedSamples = 0
let parseTimes = Timing.measure(repetitions: options.parseRepetitions) {
    // `try?` because the body parsed above; the count keeps the work from being optimised away.
    parsedSamples &+= (try? parser.parse(body))?.count ?? 0
}

// MARK: - Klaxon store and swift-prometheus registry with the same series

let store = SeriesStore()
do {
    try store.replace(owner: .pushGroup(Labels(["job": "bench"])), with: families, now: 1_700_000_000_000)
} catch {
    print("render: the store refused the workload: \(error)")
    exit(1)
}

let registry = PrometheusCollectorRegistry()
for family in families {
    let descriptor = MetricNameDescriptor(metricName: family.name, unitName: "", helpText: family.help ?? "")
    for sample in family.samples {
        let labels = sample.labels.map { ($0.name, $0.value) }
        registry.makeGauge(descriptor: descriptor, labels: labels).set(sample.value)
    }
}

// Both render once untimed to show they produce the same series.
var klaxonBuffer: [UInt8] = []
var peerBuffer: [UInt8] = []
let snapshot = store.snapshot()
ExpositionWriter.render(snapshot, format: .text, into: &klaxonBuffer)
registry.emit(into: &peerBuffer)
let klaxonLines = sampleLines(klaxonBuffer)
let peerLines = sampleLines(peerBuffer)
guard klaxonLines == sampleCount, peerLines == sampleCount else {
    print("render: sample lines differ: workload \(sampleCount), Klaxon \(klaxonLines), swift-prometheus \(peerLines)")
    exit(1)
}

// MARK: - Timed rounds

var renderOnly: [Double] = []
var snapshotAndRender: [Double] = []
var peer: [Double] = []
var checksum = 0
for _ in 0..<options.rounds {
    renderOnly += Timing.measure(repetitions: options.repetitions) {
        klaxonBuffer.removeAll(keepingCapacity: true)
        ExpositionWriter.render(snapshot, format: .text, into: &klaxonBuffer)
        checksum &+= klaxonBuffer.count
    }
    snapshotAndRender += Timing.measure(repetitions: options.repetitions) {
        klaxonBuffer.removeAll(keepingCapacity: true)
        ExpositionWriter.render(store.snapshot(), format: .text, into: &klaxonBuffer)
        checksum &+= klaxonBuffer.count
    }
    peer += Timing.measure(repetitions: options.repetitions) {
        peerBuffer.removeAll(keepingCapacity: true)
        registry.emit(into: &peerBuffer)
        checksum &+= peerBuffer.count
    }
}

// MARK: - Push ingest in-process

// What a Pushgateway PUT costs Klaxon without HTTP: parse the body and replace the group's series.
var ingestFailures = 0
let ingestTimes = Timing.measure(repetitions: options.parseRepetitions) {
    do {
        let parsed = try parser.parse(body)
        try store.replace(owner: .pushGroup(Labels(["job": "bench"])), with: parsed, now: 1_700_000_001_000)
    } catch {
        ingestFailures += 1
    }
}

// MARK: - Report

let parse = Summary(parseTimes)
let render = Summary(renderOnly)
let full = Summary(snapshotAndRender)
let peerSummary = Summary(peer)
let ingest = Summary(ingestTimes)
let runs = "\(options.rounds) rounds × \(options.repetitions) runs each, interleaved"
print("render: \(sampleCount) gauge series, \(body.count)-byte body; \(runs)")
printRow("Klaxon ExpositionWriter.render (snapshot taken)", render, "\(klaxonBuffer.count) bytes")
printRow("Klaxon store.snapshot() + render", full)
printRow("swift-prometheus 2.4.1 emit(into:)", peerSummary, "\(peerBuffer.count) bytes")
print(pad("  ratio swift-prometheus / Klaxon render") + Format.fixed(peerSummary.median / render.median, 2) + "×")
print(
    pad("  ratio swift-prometheus / Klaxon snapshot+render") + Format.fixed(peerSummary.median / full.median, 2)
        + "×  (goal ≥ 3×)")

print("parse: TextFormatParser on the same body, \(options.parseRepetitions) runs")
let parseRate = Format.grouped(Double(sampleCount) / parse.median)
let parseMegabytes = Format.fixed(Double(body.count) / parse.median / 1e6, 1)
print(
    "  median \(Format.millis(parse.median))  p99 \(Format.millis(parse.p99))  → \(parseRate) samples/s, "
        + "\(parseMegabytes) MB/s")

print(
    "ingest: TextFormatParser + SeriesStore.replace of the same body (a PUT without HTTP), "
        + "\(options.parseRepetitions) runs")
let ingestRate = Format.grouped(Double(sampleCount) / ingest.median)
print(
    "  median \(Format.millis(ingest.median))  p99 \(Format.millis(ingest.p99))  → \(ingestRate) samples/s"
        + (ingestFailures > 0 ? ", \(ingestFailures) failures" : ""))

// Machine-readable lines for bench/run-all.sh.
print("KLAXON_RENDER_MEDIAN_SECONDS=\(render.median)")
print("KLAXON_SNAPSHOT_RENDER_MEDIAN_SECONDS=\(full.median)")
print("SWIFT_PROMETHEUS_EMIT_MEDIAN_SECONDS=\(peerSummary.median)")
print("KLAXON_PARSE_SAMPLES_PER_SECOND=\(Double(sampleCount) / parse.median)")
print("KLAXON_INGEST_SAMPLES_PER_SECOND=\(Double(sampleCount) / ingest.median)")
if checksum == 0 || parsedSamples == 0 { print("(no output)") }

// MARK: - Helpers

/// Lines of an exposition that are samples (not comments, not empty).
func sampleLines(_ bytes: [UInt8]) -> Int {
    var count = 0
    var lineStart = true
    for byte in bytes {
        if lineStart && byte != UInt8(ascii: "#") && byte != UInt8(ascii: "\n") { count += 1 }
        lineStart = byte == UInt8(ascii: "\n")
    }
    return count
}

/// `text` padded to the report's label column.
func pad(_ text: String) -> String {
    text.count >= 52 ? text + " " : text + String(repeating: " ", count: 52 - text.count)
}

/// One timed contender: label, median and p99, and an optional note.
func printRow(_ label: String, _ summary: Summary, _ note: String = "") {
    let figures = "median \(Format.micros(summary.median))  p99 \(Format.micros(summary.p99))"
    print(pad("  " + label) + figures + (note.isEmpty ? "" : "  " + note))
}
