import Foundation
import Testing

@testable import KlaxonMetrics

/// prometheus/common `expfmt` cases (`../shared/conformance/expfmt`), read in place.
@Suite struct TextFormatConformanceTests {
    static let root = ConformanceData.folder("expfmt")

    @Test(arguments: ConformanceData.cases(in: "expfmt/valid"))
    func validCaseParsesToExpectedFamilies(_ name: String) throws {
        let folder = Self.root.appendingPathComponent("valid").appendingPathComponent(name)
        let input = try [UInt8](Data(contentsOf: folder.appendingPathComponent("input.txt")))
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("expected.json")))
        let expected = try #require((json as? [String: Any])?["expected_metric_families"] as? [[String: Any]])
        let families = try TextFormatParser().parse(input)

        let expectedByName = Dictionary(
            uniqueKeysWithValues: expected.compactMap { family in
                (family["Name"] as? String).map { ($0, family) }
            })
        #expect(Set(families.map(\.name)) == Set(expectedByName.keys))
        for family in families {
            let want = try #require(expectedByName[family.name])
            #expect(family.type == ExpfmtFamily.type(want["Type"] as? String), "type of \(family.name)")
            #expect(family.help == want["Help"] as? String, "help of \(family.name)")
            let got = ExpfmtFamily.flatten(family).sorted()
            let wanted = ExpfmtFamily.flatten(want).sorted()
            #expect(got == wanted, "samples of \(family.name)")
        }
    }

    @Test(arguments: ConformanceData.cases(in: "expfmt/invalid"))
    func invalidCaseIsRefused(_ name: String) throws {
        let folder = Self.root.appendingPathComponent("invalid").appendingPathComponent(name)
        let input = try [UInt8](Data(contentsOf: folder.appendingPathComponent("input.txt")))
        let json = try JSONSerialization.jsonObject(
            with: Data(contentsOf: folder.appendingPathComponent("expected.json")))
        let expected = try #require(json as? [String: Any])
        let utf8MustParse = try #require(expected["mustParse_utf8_scheme"] as? Bool)
        let legacyMustParse = try #require(expected["mustParse_legacy_scheme"] as? Bool)

        for (validation, mustParse) in [
            (TextFormatParser.NameValidation.utf8, utf8MustParse), (.legacy, legacyMustParse),
        ] {
            let parser = TextFormatParser(nameValidation: validation)
            if mustParse {
                #expect(throws: Never.self) { try parser.parse(input) }
                continue
            }
            let error = try #require(throws: TextFormatParseError.self) { try parser.parse(input) }
            // expfmt counts one line too many when the input ends early; everywhere else the lines agree.
            let prefix = expected["expected_error_prefix_utf8"] as? String ?? ""
            if validation == .utf8, let upstreamLine = ExpfmtFamily.line(in: prefix),
                !prefix.contains("unexpected end of input stream")
            {
                #expect(error.line == upstreamLine, "\(error)")
            }
        }
    }

    @Test func wholeExpositionParses() throws {
        let input = try [UInt8](Data(contentsOf: Self.root.appendingPathComponent("whole/text")))
        let families = try TextFormatParser().parse(input)
        #expect(families.count > 10)
        #expect(families.allSatisfy { !$0.samples.isEmpty })
    }
}

/// Turns expfmt's protobuf-shaped JSON and our flat families into comparable sample rows.
enum ExpfmtFamily {
    /// `name|labels|value|timestamp`, with NaN spelled out so that rows compare equal.
    typealias Row = String

    static func type(_ name: String?) -> MetricType? {
        switch name {
        case "COUNTER": .counter
        case "GAUGE": .gauge
        case "UNTYPED": .untyped
        case "SUMMARY": .summary
        case "HISTOGRAM": .histogram
        case "GAUGE_HISTOGRAM": .gaugehistogram
        default: nil
        }
    }

    static func line(in message: String) -> Int? {
        guard let range = message.range(of: "in line ") else { return nil }
        return Int(message[range.upperBound...].prefix { $0.isNumber })
    }

    static func number(_ any: Any?) -> Double? {
        if let text = any as? String { return Double(text) }
        return (any as? NSNumber)?.doubleValue
    }

    static func row(_ name: String, _ labels: [String: String], _ value: Double, _ timestamp: Int64?) -> Row {
        let pairs = labels.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        return "\(name)|\(pairs.joined(separator: ","))|\(value)|\(timestamp.map(String.init) ?? "-")"
    }

    /// Rows of our family; summary and histogram rows carry their group's last timestamp, as expfmt keeps one.
    static func flatten(_ family: ParsedFamily) -> [Row] {
        let grouped = family.type == .summary || family.type == .histogram || family.type == .gaugehistogram
        var groupTimestamp: [String: Int64] = [:]
        func plain(_ sample: ParsedSample) -> [String: String] {
            var labels: [String: String] = [:]
            for label in sample.labels { labels[label.name] = label.value }
            return labels
        }
        func groupKey(_ sample: ParsedSample) -> String {
            row("", plain(sample).filter { $0.key != "le" && $0.key != "quantile" }, 0, nil)
        }
        for sample in family.samples where grouped {
            if let timestamp = sample.timestamp { groupTimestamp[groupKey(sample)] = timestamp }
        }
        return family.samples.map { sample in
            var labels = plain(sample)
            for special in ["le", "quantile"] { labels[special] = labels[special].flatMap(Double.init).map { "\($0)" } }
            let timestamp = grouped ? groupTimestamp[groupKey(sample)] : sample.timestamp
            return row(sample.name, labels, sample.value, timestamp)
        }
    }

    /// Rows of expfmt's JSON family.
    static func flatten(_ family: [String: Any]) -> [Row] {
        let name = family["Name"] as? String ?? ""
        var rows: [Row] = []
        for metric in family["Metric"] as? [[String: Any]] ?? [] {
            var labels: [String: String] = [:]
            for label in metric["Label"] as? [[String: Any]] ?? [] {
                labels[label["Name"] as? String ?? ""] = label["Value"] as? String ?? ""
            }
            let timestamp = (metric["TimestampMs"] as? NSNumber)?.int64Value
            for kind in ["Counter", "Gauge", "Untyped"] {
                if let value = number((metric[kind] as? [String: Any])?["Value"]) {
                    rows.append(row(name, labels, value, timestamp))
                }
            }
            if let summary = metric["Summary"] as? [String: Any] {
                for quantile in summary["Quantile"] as? [[String: Any]] ?? [] {
                    var withQuantile = labels
                    withQuantile["quantile"] = number(quantile["Quantile"]).map { "\($0)" }
                    rows.append(row(name, withQuantile, number(quantile["Value"]) ?? 0, timestamp))
                }
                if let count = number(summary["SampleCount"]) {
                    rows.append(row(name + "_count", labels, count, timestamp))
                }
                if let sum = number(summary["SampleSum"]) { rows.append(row(name + "_sum", labels, sum, timestamp)) }
            }
            if let histogram = metric["Histogram"] as? [String: Any] {
                for bucket in histogram["Bucket"] as? [[String: Any]] ?? [] {
                    var withBound = labels
                    withBound["le"] = number(bucket["UpperBound"]).map { "\($0)" }
                    let count = number(bucket["CumulativeCount"]) ?? number(bucket["CumulativeCountFloat"]) ?? 0
                    rows.append(row(name + "_bucket", withBound, count, timestamp))
                }
                if let count = number(histogram["SampleCount"]) ?? number(histogram["SampleCountFloat"]) {
                    rows.append(row(name + "_count", labels, count, timestamp))
                }
                if let sum = number(histogram["SampleSum"]) { rows.append(row(name + "_sum", labels, sum, timestamp)) }
            }
        }
        return rows
    }
}

/// Finds the peers' conformance data next to the package root.
enum ConformanceData {
    static func folder(_ name: String) -> URL {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/"
            && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path)
        {
            url.deleteLastPathComponent()
        }
        return url.deletingLastPathComponent().appendingPathComponent("shared/conformance").appendingPathComponent(name)
    }

    /// The case folders under `path`, sorted; empty when the data is missing (the tests then fail on count).
    static func cases(in path: String) -> [String] {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder(path).path)) ?? []
        return entries.filter { !$0.hasPrefix(".") && $0 != "LICENSE" && $0 != "NOTICE" }.sorted()
    }
}
