import KlaxonMetrics

/// An alerting rule as loaded: name, hold (`for`), `keep_firing_for`, and its label and
/// annotation templates parsed once. The expression stays text here; the group evaluates it.
package struct AlertingRule: Sendable {
    /// A label or annotation whose value is a template.
    package struct TemplatedField: Sendable {
        package let name: String
        package let template: Template
    }

    package let name: String
    /// The PromQL expression as written (for messages and the alert's generator URL).
    package let expression: String
    /// `for`, in milliseconds.
    package let holdDuration: Int64
    /// `keep_firing_for`, in milliseconds.
    package let keepFiringFor: Int64
    /// The rule's labels as written (templates unexpanded), sorted by name.
    package let rawLabels: Labels
    package let labels: [TemplatedField]
    package let annotations: [TemplatedField]

    /// Parses every label and annotation template; the first that fails throws, naming the
    /// rule, the label or annotation, and the line and column.
    package init(
        name: String, expression: String = "", holdDuration: Int64 = 0, keepFiringFor: Int64 = 0,
        labels: [String: String] = [:], annotations: [String: String] = [:]
    ) throws(RuleError) {
        guard !name.isEmpty else { throw RuleError(rule: name, message: "alert name must not be empty") }
        guard holdDuration >= 0, keepFiringFor >= 0 else {
            throw RuleError(rule: name, message: "for and keep_firing_for must not be negative")
        }
        for key in labels.keys.sorted(by: goLess)
        where !MetricNames.isValidLabelName(key) || key == Labels.metricNameLabel {
            throw RuleError(
                rule: name,
                message: "invalid label name \"\(key)\"; label names match [a-zA-Z_][a-zA-Z0-9_]* and are not __name__")
        }
        for key in annotations.keys.sorted(by: goLess) where !MetricNames.isValidLabelName(key) {
            throw RuleError(
                rule: name, message: "invalid annotation name \"\(key)\"; annotation names match [a-zA-Z_][a-zA-Z0-9_]*"
            )
        }
        self.name = name
        self.expression = expression
        self.holdDuration = holdDuration
        self.keepFiringFor = keepFiringFor
        rawLabels = Labels(labels)
        self.labels = try Self.parse(labels, rule: name, kind: "label")
        self.annotations = try Self.parse(annotations, rule: name, kind: "annotation")
    }

    private static func parse(_ fields: [String: String], rule: String, kind: String) throws(RuleError)
        -> [TemplatedField]
    {
        var parsed: [TemplatedField] = []
        for name in fields.keys.sorted(by: goLess) {
            do {
                parsed.append(
                    TemplatedField(name: name, template: try Template(fields[name] ?? "", name: "__alert_\(rule)")))
            } catch {
                throw RuleError.template(rule: rule, field: "\(kind) \(name)", error)
            }
        }
        return parsed
    }

    // MARK: - Building alerts

    /// The alert's labels for one element of the result: series labels without `__name__`,
    /// the rule's labels expanded (an empty expansion removes the label), and `alertname`.
    func alertLabels(series: Labels, data: AlertTemplateData, errors: inout [TemplateError]) -> Labels {
        var merged: [String: String] = [:]
        for label in series where label.name != Labels.metricNameLabel { merged[label.name] = label.value }
        for field in labels { merged[field.name] = Self.expand(field.template, data, &errors) }
        merged["alertname"] = name
        return Labels(merged)
    }

    /// The annotations expanded for one alert; empty results are kept, as Prometheus keeps them.
    func alertAnnotations(data: AlertTemplateData, errors: inout [TemplateError]) -> [Label] {
        annotations.map { Label($0.name, Self.expand($0.template, data, &errors)) }
    }

    /// A failed expansion becomes `<error expanding template: …>` in the alert, as in Prometheus,
    /// and is reported so the caller can log it.
    private static func expand(_ template: Template, _ data: AlertTemplateData, _ errors: inout [TemplateError])
        -> String
    {
        do {
            return try template.expand(data)
        } catch {
            errors.append(error)
            return "<error expanding template: \(error.description)>"
        }
    }

    /// `ALERTS{alertname, alertstate, …}` = 1 for a pending or firing alert.
    ///
    /// As in Prometheus the rule's labels *as written* are the base, so a label whose template
    /// expanded to nothing shows its raw text here.
    func alertsSample(_ alert: Alert, at now: Int64) -> RuleSample {
        var merged = base(alert)
        merged[Labels.metricNameLabel] = "ALERTS"
        merged["alertstate"] = alert.state.rawValue
        return RuleSample(labels: Labels(merged), sample: Sample(timestamp: now, value: 1))
    }

    /// `ALERTS_FOR_STATE{alertname, …}` = the Unix second the alert became active.
    func forStateSample(_ alert: Alert, at now: Int64) -> RuleSample {
        var merged = base(alert)
        merged[Labels.metricNameLabel] = "ALERTS_FOR_STATE"
        let seconds = alert.activeAt >= 0 ? alert.activeAt / 1000 : (alert.activeAt - 999) / 1000
        return RuleSample(labels: Labels(merged), sample: Sample(timestamp: now, value: Double(seconds)))
    }

    private func base(_ alert: Alert) -> [String: String] {
        var merged: [String: String] = [:]
        for label in rawLabels { merged[label.name] = label.value }
        for label in alert.labels { merged[label.name] = label.value }
        merged["alertname"] = name
        return merged
    }
}
