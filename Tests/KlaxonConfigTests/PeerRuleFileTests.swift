import Foundation
import KlaxonConfig
import Testing

/// The rule loader reads Prometheus rule files through this parser: every peer file must parse.
@Suite struct PeerRuleFileTests {
    static let conformance = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/conformance").standardizedFileURL

    static let files: [String] = ["rulefmt", "thanos-rules", "promtool"].flatMap { folder in
        let directory = conformance.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".yml") || $0.hasSuffix(".yaml") }.sorted().map { "\(folder)/\($0)" }
    }

    @Test func peerFilesArePresent() {
        // 13 rulefmt + 3 thanos + 17 promtool files at the time of writing.
        #expect(Self.files.count >= 33, "found \(Self.files.count) files under \(Self.conformance.path)")
    }

    @Test(arguments: files)
    func peerFileParsesToAGroupsOrTestsMapping(file: String) throws {
        let data = try Data(contentsOf: Self.conformance.appendingPathComponent(file))
        let node = try YAML.parse(bytes: Array(data), file: file)
        let keys = try #require(node.mappingEntries).map(\.key)
        #expect(keys.contains("groups") || keys.contains("tests"), "top-level keys: \(keys)")
    }

    @Test func ruleExpressionsKeepTheirText() throws {
        let data = try Data(contentsOf: Self.conformance.appendingPathComponent("rulefmt/test.yaml"))
        let node = try YAML.parse(bytes: Array(data), file: "test.yaml")
        let group = try #require(node["groups"]?.sequenceItems?.first)
        #expect(group["interval"]?.scalarText == "30s")
        let rule = try #require(group["rules"]?.sequenceItems?.first)
        #expect(
            rule["expr"]?.scalarText
                == "sum without(instance) (rate(errors_total[5m]))\n/\nsum without(instance) (rate(requests_total[5m]))\n"
        )
        #expect(rule["annotations"]?["description"]?.scalarText == "stuff's happening with {{ $.labels.service }}")
        #expect(group["rules"]?.sequenceItems?[1]["record"]?.kind == .scalar("new_metric", .doubleQuoted))
    }

    @Test func largeRuleFileParses() throws {
        let data = try Data(contentsOf: Self.conformance.appendingPathComponent("promtool/rules_large.yml"))
        let node = try YAML.parse(bytes: Array(data), file: "rules_large.yml")
        let rules = node["groups"]?.sequenceItems?.first?["rules"]?.sequenceItems
        #expect((rules?.count ?? 0) > 10_000)
    }
}
