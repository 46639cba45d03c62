import KlaxonMetrics
import KlaxonTemplate

/// A recording rule as loaded: the metric name to record under, the expression as written, and
/// labels to set on every output series (not templated, as in Prometheus).
package struct RecordingRule: Sendable {
    package let name: String
    package let expression: String
    package let labels: Labels

    /// Checks the metric name and label names as Prometheus's rule file validation does.
    package init(name: String, expression: String = "", labels: [String: String] = [:]) throws(RuleError) {
        guard MetricNames.isValidMetricName(name) else {
            throw RuleError(
                rule: name,
                message: "invalid recording rule name \"\(name)\"; metric names match [a-zA-Z_:][a-zA-Z0-9_:]*")
        }
        for key in labels.keys.sorted(by: goLess)
        where !MetricNames.isValidLabelName(key) || key == Labels.metricNameLabel {
            throw RuleError(
                rule: name,
                message: "invalid label name \"\(key)\"; label names match [a-zA-Z_][a-zA-Z0-9_]* and are not __name__")
        }
        self.name = name
        self.expression = expression
        self.labels = Labels(labels)
    }

    /// The series to write for the expression's result at `now`: each element renamed to the
    /// rule's name, with the rule's labels set. Two elements that end up identical fail the
    /// evaluation, and so does exceeding `limit` (when above 0), with Prometheus's messages.
    package func samples(from result: [(labels: Labels, value: Double)], at now: Int64, limit: Int = 0)
        throws(RuleError) -> [RuleSample]
    {
        var samples: [RuleSample] = []
        samples.reserveCapacity(result.count)
        var seen: Set<Labels> = []
        for element in result {
            var merged: [String: String] = [:]
            for label in element.labels { merged[label.name] = label.value }
            merged[Labels.metricNameLabel] = name
            for label in labels { merged[label.name] = label.value }
            let output = Labels(merged)
            guard seen.insert(output).inserted else {
                throw RuleError(
                    rule: name, message: "vector contains metrics with the same labelset after applying rule labels")
            }
            samples.append(RuleSample(labels: output, sample: Sample(timestamp: now, value: element.value)))
        }
        if limit > 0 && samples.count > limit {
            throw RuleError(rule: name, message: "exceeded limit \(limit) with \(samples.count) series")
        }
        return samples
    }
}
