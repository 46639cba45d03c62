import Foundation
import KlaxonRules
import Testing

/// Generated expressions over generated series, run by promtool and by Klaxon's `test rules`: every printed
/// value must agree bit for bit and every error word for word. Each test expects a sample no expression
/// yields, so both tools print what they got.
@Suite struct PromtoolDifferentialTests {
    /// Expressions each tool must refuse, one for each error the parser and the evaluator raise.
    static let refused: [String] = [
        "x offset 1m offset 2m", "sum(rate(a[5m])) by (i)) + on(i) group_left sum(b)", "topk(x, x)", "a + bool a",
        "sum(a", "a[5m", "a{i=\"1\"", "a{i=~\"(\"}", "{}", "{i=\"\"}", "rate(a)", "rate(a[5m], 1)", "abs()",
        "unknown_fn(a)", "sum by (i) (a) without (j)", "a[5m] + 1", "1 == 1", "1 and 1", "a and 1",
        "a + on(i) group_left(i) b", "a[0s]", "a offset -1", "1 +", "\"str\" + 1", "-\"str\"", "count_values(1, a)",
        "count_values(\"a b\", a)", "quantile(\"x\", a)", "a ! b", "a =~ b", "a{i!}", "a{i==1}", "`unterminated",
        "\"unterminated", "'bad \\q escape'", "1x", "a[5x]", "sum(a) by (__name__, 1)",
        "label_replace(a, \"1bad\", \"$1\", \"i\", \"(.*)\")", "label_replace(a, \"k\", \"$1\", \"i\", \"(\")",
        "label_join(a, \"k\", \",\", \"1bad\")", "a or on(i) group_left b", "histogram_quantile(0.9, a, b)",
        "time(1)", "vector(a)", "scalar(1)", "abs(a, b)", "sort(\"x\")", "sum(a) keep_firing",
        "max_over_time(a[5m] offset 1m offset 1m)", "a 1", "(a))", "((a)", "a]", "a}", "a[5m]]", "-a[5m]",
        // Not "a + on(j) b": promtool lists the duplicate series in the random order its loader added them.
        "a + b{j=\"x\"} or a", "abs(a or b)",
        "rate(a[5m]) or rate(b[5m])", "topk(1e30, a)", "sum(a) by (i) (b)", "a offset 5m[1m]", "a{i=\"1\"}[1m] offset",
        "sum without(i, (a))", "round(a, b)", "abs(\"x\")", "a == bool on(i) group_left b", "a / on(i) group_right b",
    ]

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
        #expect(differing.count == 0, "\(differing.count) lines differ (\(path)):\n\(differing.joined(separator: "\n"))")
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
            texts.append(generator.vector(depth: Int.random(in: 1...3, using: &generator.random)).text)
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
