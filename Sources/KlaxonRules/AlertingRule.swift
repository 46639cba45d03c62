import KlaxonMetrics
import KlaxonTemplate

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
                let template = try Template(alert: fields[name] ?? "", name: "__alert_\(rule)")
                parsed.append(TemplatedField(name: name, template: template))
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
        var over: [Label] = []
        over.reserveCapacity(labels.count + 1)
        for field in labels {
            // Expanded even when `alertname` overrides it, so its errors are still reported.
            let value = Self.expand(field.template, data, &errors)
            if field.name != "alertname" { over.append(Label(field.name, value)) }
        }
        over.insert(Label("alertname", name), at: over.firstIndex { $0.name > "alertname" } ?? over.count)
        return Labels(sortedUnchecked: Self.merge(series.pairs, over, skippingName: true))
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
        let over = [
            Label(Labels.metricNameLabel, "ALERTS"), Label("alertname", name),
            Label("alertstate", alert.state.rawValue),
        ]
        let labels = Self.merge(Self.merge(rawLabels.pairs, alert.labels.pairs), over)
        return RuleSample(labels: Labels(sortedUnchecked: labels), sample: Sample(timestamp: now, value: 1))
    }

    /// `ALERTS_FOR_STATE{alertname, …}` = the Unix second the alert became active.
    func forStateSample(_ alert: Alert, at now: Int64) -> RuleSample {
        let over = [Label(Labels.metricNameLabel, "ALERTS_FOR_STATE"), Label("alertname", name)]
        let labels = Self.merge(Self.merge(rawLabels.pairs, alert.labels.pairs), over)
        let seconds = alert.activeAt >= 0 ? alert.activeAt / 1000 : (alert.activeAt - 999) / 1000
        return RuleSample(
            labels: Labels(sortedUnchecked: labels), sample: Sample(timestamp: now, value: Double(seconds)))
    }

    /// Two label lists sorted by name merged in one pass: `over` wins on equal names, empty values are
    /// dropped (as `Labels` drops them), and with `skippingName` the base's `__name__` is left out.
    static func merge(_ base: [Label], _ over: [Label], skippingName: Bool = false) -> [Label] {
        var merged: [Label] = []
        merged.reserveCapacity(base.count + over.count)
        var b = 0
        var o = 0
        while b < base.count || o < over.count {
            if o == over.count || (b < base.count && base[b].name < over[o].name) {
                let label = base[b]
                if !label.value.isEmpty && !(skippingName && label.name == Labels.metricNameLabel) {
                    merged.append(label)
                }
                b += 1
            } else {
                if b < base.count && base[b].name == over[o].name { b += 1 }
                if !over[o].value.isEmpty { merged.append(over[o]) }
                o += 1
            }
        }
        return merged
    }
}
