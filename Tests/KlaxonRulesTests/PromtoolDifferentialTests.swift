import Foundation
import KlaxonRules
import Testing

/// Generated expressions over generated series, run by promtool and by Klaxon's `test rules`: every printed
/// value must agree bit for bit and every error word for word. Each test expects a sample no expression
/// yields, so both tools print what they got.
@Suite struct PromtoolDifferentialTests {
    static let seeds: [UInt64] = [20_261_205]

    @Test(.enabled(if: PromtoolVerdict.available, "promtool is not installed"), arguments: seeds)
    func klaxonPrintsWhatPromtoolPrints(seed: UInt64) async throws {
        let directory = try Conformance.scratchDirectory()
        let path = directory.appendingPathComponent("differential-\(seed).yaml").path
        try Self.testFile(seed: seed, expressions: 400).write(toFile: path, atomically: true, encoding: .utf8)
        let promtool = try await PromtoolVerdict.test(path)
        let (out, err) = try await PromtoolVerdict.klaxon(path).promtoolOutput
        let expected = promtool.standardError.split(separator: "\n", omittingEmptySubsequences: false)
        let got = err.split(separator: "\n", omittingEmptySubsequences: false)
        // Each differing line with the expression it belongs to.
        let differing = zip(expected, got).enumerated().filter { $0.element.0 != $0.element.1 }.map { row in
            let expression = expected[...row.offset].last { $0.hasPrefix("    expr: ") } ?? ""
            return "\(expression)\n  promtool: \(row.element.0)\n  klaxon:   \(row.element.1)"
        }
        #expect(expected.count == got.count, "promtool printed \(expected.count) lines, Klaxon \(got.count): \(path)")
        let report = differing.joined(separator: "\n")
        #expect(differing.count == 0, "\(differing.count) lines differ (\(path)):\n\(report)")
        #expect(out == promtool.standardOutput)
        // Most generated expressions print values: the test compares results, not only errors.
        let values = expected.filter { $0.hasPrefix("        got: ") }.count
        #expect(values > 150, "only \(values) expressions printed values")
        if differing.isEmpty && expected.count == got.count { try? FileManager.default.removeItem(at: directory) }
    }

    /// The same seed gives the same file: a failure can be replayed.
    @Test func theGeneratorIsDeterministic() {
        #expect(Self.testFile(seed: 7, expressions: 40) == Self.testFile(seed: 7, expressions: 40))
        #expect(Self.testFile(seed: 7, expressions: 40) != Self.testFile(seed: 8, expressions: 40))
    }

    /// A promtool test file: the generated series, `expressions` generated expressions and every refused one.
    static func testFile(seed: UInt64, expressions: Int) -> String {
        var generator = PromQLExpressionGenerator(seed: seed)
        var lines = ["rule_files: []", "evaluation_interval: 1m", "tests:", "  - interval: 1m", "    input_series:"]
        for (series, values) in generator.inputSeries() {
            lines += ["      - series: '\(series)'", "        values: '\(values)'"]
        }
        lines.append("    promql_expr_test:")
        var texts: [String] = []
        for _ in 0..<expressions {
            texts.append(generator.vector(depth: Int.random(in: 1...4, using: &generator.random)).text)
        }
        for text in texts + refused {
            let time = ["2m", "5m", "7m", "10m"][Int.random(in: 0..<4, using: &generator.random)]
            lines += [
                "      - expr: '\(text.replacingOccurrences(of: "'", with: "''"))'", "        eval_time: \(time)",
                "        exp_samples: [{labels: 'none', value: 1}]",
            ]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
