import Foundation
import KlaxonConfig
import KlaxonMetrics

/// A promtool rule unit-test file (`promtool test rules`), as read.
package struct RuleTestFile: Sendable {
    /// Rule files, resolved against the test file's folder.
    package var ruleFiles: [String]
    /// `evaluation_interval`, milliseconds; promtool's default is one minute.
    package var evaluationInterval: Int64
    package var groupEvalOrder: [String]
    package var tests: [RuleTestGroup]
}

/// One entry of `tests:`: input series and what to expect from them.
package struct RuleTestGroup: Sendable {
    /// One `input_series` entry.
    package struct InputSeries: Sendable {
        package var series: String
        package var values: String
    }

    /// One `alert_rule_test` entry.
    package struct AlertTest: Sendable {
        package var evalTime: Int64
        package var alertname: String
        package var expected: [ExpectedAlert]
    }

    /// One expected firing alert: labels (without `alertname`) and annotations.
    package struct ExpectedAlert: Sendable {
        package var labels: [String: String]
        package var annotations: [String: String]
    }

    /// One `promql_expr_test` entry.
    package struct ExprTest: Sendable {
        package var expr: String
        package var evalTime: Int64
        package var expected: [(labels: String, value: Double)]
    }

    /// Step of the input series in milliseconds (defaults to the evaluation interval).
    package var interval: Int64
    package var inputSeries: [InputSeries]
    package var alertTests: [AlertTest]
    package var exprTests: [ExprTest]
    package var externalLabels: Labels
    package var externalURL: String
    package var name: String

    /// The latest `eval_time` of any test: evaluation runs from 0 to here.
    package var maxEvalTime: Int64 {
        (alertTests.map(\.evalTime) + exprTests.map(\.evalTime)).max() ?? 0
    }
}

extension RuleTestFile {
    /// promtool's default `evaluation_interval`.
    static let defaultEvaluationInterval: Int64 = 60_000

    /// Reads a test file; `directory` resolves relative `rule_files`.
    package static func parse(bytes: [UInt8], file: String, directory: String) throws(ConfigErrors) -> RuleTestFile {
        let diagnostics = ConfigDiagnostics(file: file)
        var result = RuleTestFile(
            ruleFiles: [], evaluationInterval: defaultEvaluationInterval, groupEvalOrder: [], tests: [])
        if let document = diagnostics.parseDocument(bytes: bytes),
            let root = diagnostics.root(
                document, allowedKeys: ["rule_files", "evaluation_interval", "group_eval_order", "tests"])
        {
            result.ruleFiles = (root.stringList("rule_files") ?? []).map { path in
                path.hasPrefix("/") || path.isEmpty || directory == "." ? path : (directory as NSString).appendingPathComponent(path)
            }
            if let interval = root.durationMilliseconds("evaluation_interval"), interval > 0 {
                result.evaluationInterval = interval
            }
            result.groupEvalOrder = root.stringList("group_eval_order") ?? []
            var seen: Set<String> = []
            for name in result.groupEvalOrder where !seen.insert(name).inserted {
                root.fail(key: "group_eval_order", "group name repeated in evaluation order: \(name)")
            }
            result.tests = (root.sequence("tests") ?? []).compactMap {
                testGroup($0, defaultInterval: result.evaluationInterval)
            }
        }
        try diagnostics.throwIfFailed()
        return result
    }

    private static func testGroup(_ value: ValueReader, defaultInterval: Int64) -> RuleTestGroup? {
        let keys = ["interval", "input_series", "alert_rule_test", "promql_expr_test", "external_labels", "external_url", "name"]
        guard let reader = value.mapping(allowedKeys: keys) else { return nil }
        let interval = reader.durationMilliseconds("interval").flatMap { $0 > 0 ? $0 : nil } ?? defaultInterval
        let inputs: [RuleTestGroup.InputSeries] = (reader.sequence("input_series") ?? []).compactMap { item in
            guard let series = item.mapping(allowedKeys: ["series", "values"]) else { return nil }
            return RuleTestGroup.InputSeries(series: series.string("series") ?? "", values: series.string("values") ?? "")
        }
        let alertTests: [RuleTestGroup.AlertTest] = (reader.sequence("alert_rule_test") ?? []).compactMap { item in
            guard let test = item.mapping(allowedKeys: ["eval_time", "alertname", "exp_alerts"]) else { return nil }
            let expected: [RuleTestGroup.ExpectedAlert] = (test.sequence("exp_alerts") ?? []).compactMap { alert in
                guard let fields = alert.mapping(allowedKeys: ["exp_labels", "exp_annotations"]) else { return nil }
                return RuleTestGroup.ExpectedAlert(
                    labels: map(fields.stringMap("exp_labels")), annotations: map(fields.stringMap("exp_annotations")))
            }
            return RuleTestGroup.AlertTest(
                evalTime: test.durationMilliseconds("eval_time") ?? 0, alertname: test.string("alertname") ?? "",
                expected: expected)
        }
        let exprTests: [RuleTestGroup.ExprTest] = (reader.sequence("promql_expr_test") ?? []).compactMap { item in
            guard let test = item.mapping(allowedKeys: ["expr", "eval_time", "exp_samples"]) else { return nil }
            let samples: [(labels: String, value: Double)] = (test.sequence("exp_samples") ?? []).compactMap { sample in
                guard let fields = sample.mapping(allowedKeys: ["labels", "value"]) else { return nil }
                return (fields.string("labels") ?? "", fields.double("value") ?? 0)
            }
            return RuleTestGroup.ExprTest(
                expr: test.string("expr") ?? "", evalTime: test.durationMilliseconds("eval_time") ?? 0,
                expected: samples)
        }
        let external = map(reader.stringMap("external_labels"))
        return RuleTestGroup(
            interval: interval, inputSeries: inputs, alertTests: alertTests, exprTests: exprTests,
            externalLabels: Labels(external), externalURL: reader.string("external_url") ?? "",
            name: reader.string("name") ?? "")
    }

    private static func map(_ entries: [StringMapEntry]?) -> [String: String] {
        Dictionary((entries ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
    }
}
