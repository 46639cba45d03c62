import Foundation
import KlaxonMetrics
import KlaxonPromQL

/// One `tests:` entry being run: its store, its groups' state, and the failures found.
struct RuleTestGroupRun {
    /// Most evaluation steps one test group may take, so a test file cannot run for hours.
    static let maximumSteps: Int64 = 1_000_000

    let test: RuleTestGroup
    let groups: [RuleGroupDefinition]
    let evaluationInterval: Int64
    private var failures: [String] = []

    init(test: RuleTestGroup, groups: [RuleGroupDefinition], evaluationInterval: Int64) {
        self.test = test
        self.groups = groups
        self.evaluationInterval = evaluationInterval
    }

    /// Runs the evaluation loop and every check; returns the failures.
    mutating func execute() -> [String] {
        if let missing = test.alertTests.first(where: { $0.alertname.isEmpty }) {
            let group = test.name.isEmpty ? "" : " (in TestGroup \(test.name))"
            return [
                "an item under alert_rule_test misses required attribute alertname at eval_time "
                    + PromtoolText.modelDuration(missing.evalTime) + group
            ]
        }
        let steps = test.maxEvalTime / max(evaluationInterval, 1) + 1
        guard steps <= Self.maximumSteps else {
            return [
                "eval_time \(PromtoolText.modelDuration(test.maxEvalTime)) at evaluation_interval "
                    + "\(PromtoolText.modelDuration(evaluationInterval)) needs \(steps) evaluations; "
                    + "the limit is \(Self.maximumSteps): raise evaluation_interval or lower eval_time"
            ]
        }
        var inputs: [(labels: Labels, sample: Sample)] = []
        for series in test.inputSeries {
            do {
                let description = try SeriesDescription.parse(series.series + " " + series.values)
                for (index, value) in description.values.enumerated() {
                    guard let value else { continue }
                    let (offset, overflow) = Int64(index).multipliedReportingOverflow(by: test.interval)
                    if overflow { break }
                    inputs.append((description.labels, Sample(timestamp: offset, value: value)))
                    // With no interval every value has time 0, and storage keeps the first one.
                    if test.interval == 0 { break }
                }
            } catch {
                // promtool prints the parser's error alone (its position counts in series and values together).
                return [error.description]
            }
        }
        // Stable by time, so each series stays oldest first.
        inputs = inputs.enumerated().sorted {
            $0.element.sample.timestamp != $1.element.sample.timestamp
                ? $0.element.sample.timestamp < $1.element.sample.timestamp : $0.offset < $1.offset
        }.map(\.element)

        let store = SharedInMemorySeries()
        // promtool steps a subquery without a step at the test file's evaluation_interval.
        let evaluator = Evaluator(source: store, subqueryStep: evaluationInterval)
        var states = groups.map { $0.makeState(externalLabels: test.externalLabels, externalURL: test.externalURL) }
        let queries = groups.map { $0.query(evaluator: evaluator) }
        let alertTimes = Set(test.alertTests.map(\.evalTime)).sorted()
        var nextAlertTime = 0
        var loaded = 0
        let maxTime = test.maxEvalTime
        var time: Int64 = 0
        while time <= maxTime {
            while loaded < inputs.count && inputs[loaded].sample.timestamp <= time {
                store.append(inputs[loaded].labels, inputs[loaded].sample)
                loaded += 1
            }
            var evaluationErrors: [String] = []
            for index in states.indices {
                let step = states[index].evaluate(at: time, query: queries[index], append: store.append)
                evaluationErrors += step.failures.map {
                    "    rule: \($0.rule), time: \(PromtoolText.goDuration(time)), err: \($0.message)"
                }
            }
            if !evaluationErrors.isEmpty { return failures + evaluationErrors }
            while nextAlertTime < alertTimes.count && alertTimes[nextAlertTime] >= time
                && alertTimes[nextAlertTime] - time < evaluationInterval
            {
                checkAlerts(at: alertTimes[nextAlertTime], states: states)
                nextAlertTime += 1
            }
            let (next, overflow) = time.addingReportingOverflow(evaluationInterval)
            if overflow { break }
            time = next
        }
        for exprTest in test.exprTests { checkExpression(exprTest, evaluator: evaluator) }
        return failures
    }

    // MARK: - Alerts

    private mutating func checkAlerts(at evalTime: Int64, states: [RuleGroupState]) {
        for alertTest in test.alertTests where alertTest.evalTime == evalTime {
            var got: [(labels: Labels, annotations: Labels)] = []
            for state in states {
                for case .alerting(let ruleState) in state.rules where ruleState.rule.name == alertTest.alertname {
                    for alert in ruleState.alerts where alert.state == .firing {
                        got.append((alert.labels, Labels(alert.annotations)))
                    }
                }
            }
            let expected = alertTest.expected.map { alert in
                var labels = alert.labels
                labels["alertname"] = alertTest.alertname
                return (labels: Labels(labels), annotations: Labels(alert.annotations))
            }
            let sortedGot = got.sorted(by: Self.alertOrder)
            let sortedExpected = expected.sorted(by: Self.alertOrder)
            let same =
                sortedGot.count == sortedExpected.count
                && zip(sortedGot, sortedExpected).allSatisfy {
                    $0.labels == $1.labels && $0.annotations == $1.annotations
                }
            guard !same else { continue }
            var message = test.name.isEmpty ? "" : "    name: \(test.name),\n"
            message +=
                "    alertname: \(alertTest.alertname), time: \(PromtoolText.modelDuration(alertTest.evalTime)), \n"
            message += "        exp:" + PromtoolText.indentLines(PromtoolText.alerts(sortedExpected), "            ")
            message += ", \n        got:" + PromtoolText.indentLines(PromtoolText.alerts(sortedGot), "            ")
            failures.append(message)
        }
    }

    private static func alertOrder(
        _ lhs: (labels: Labels, annotations: Labels), _ rhs: (labels: Labels, annotations: Labels)
    ) -> Bool {
        lhs.labels != rhs.labels ? lhs.labels < rhs.labels : lhs.annotations < rhs.annotations
    }

    // MARK: - PromQL expressions

    private mutating func checkExpression(_ exprTest: RuleTestGroup.ExprTest, evaluator: Evaluator) {
        let heading =
            "    expr: \(PromtoolText.quoted(exprTest.expr)), time: \(PromtoolText.modelDuration(exprTest.evalTime))"
        var got: [(labels: Labels, value: Double)]
        do {
            got = try RuleResult.instantVector(evaluator.evaluate(PromQL.parse(exprTest.expr), at: exprTest.evalTime))
        } catch {
            failures.append("\(heading), err: \(error.description)")
            return
        }
        var expected: [(labels: Labels, value: Double)] = []
        for sample in exprTest.expected {
            let text = sample.labels.trimmingCharacters(in: .whitespaces)
            do {
                expected.append((text.isEmpty ? .empty : try SeriesDescription.parseLabels(text), sample.value))
            } catch {
                failures.append("\(heading), err: labels \(PromtoolText.quoted(sample.labels)): \(error.description)")
                return
            }
        }
        got.sort { $0.labels < $1.labels }
        expected.sort { $0.labels < $1.labels }
        let same =
            got.count == expected.count
            && zip(got, expected).allSatisfy { $0.labels == $1.labels && $0.value == $1.value }
        if !same {
            failures.append(
                "\(heading),\n        exp: \(PromtoolText.samples(expected))\n        got: \(PromtoolText.samples(got))"
            )
        }
    }
}
