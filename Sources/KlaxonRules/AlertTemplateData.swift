import KlaxonMetrics
import KlaxonTemplate

/// What an alert template sees: `$labels`/`.Labels`, `$externalLabels`/`.ExternalLabels`,
/// `$externalURL`/`.ExternalURL` and `$value`/`.Value`, shaped as Prometheus shapes them.
package struct AlertTemplateData: Sendable {
    package var labels: Labels
    package var externalLabels: Labels
    package var externalURL: String
    package var value: Double

    /// The variables Prometheus defines before every alert template.
    package static let variableNames = ["$labels", "$externalLabels", "$externalURL", "$value"]

    package init(labels: Labels, externalLabels: Labels = .empty, externalURL: String = "", value: Double) {
        self.labels = labels
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.value = value
    }

    /// The data the template engine runs with: a struct dot and the four predefined variables.
    package var templateData: TemplateData {
        let labels = Self.map(labels)
        let external = Self.map(externalLabels)
        let dot = TemplateValue.record([
            TemplateField(name: "Labels", value: labels),
            TemplateField(name: "ExternalLabels", value: external),
            TemplateField(name: "ExternalURL", value: .string(externalURL)),
            TemplateField(name: "Value", value: .float(value)),
        ])
        return TemplateData(
            dot: dot,
            variables: [
                ("$labels", labels), ("$externalLabels", external), ("$externalURL", .string(externalURL)),
                ("$value", .float(value)),
            ],
            externalURL: externalURL)
    }

    private static func map(_ labels: Labels) -> TemplateValue {
        .map(Dictionary(labels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }))
    }
}

extension Template {
    /// Parses an alert label or annotation template: the alert's variables are defined.
    package init(alert text: String, name: String) throws(TemplateError) {
        try self.init(text, name: name, variables: AlertTemplateData.variableNames)
    }

    /// Expands for one alert.
    package func expand(_ data: AlertTemplateData) throws(TemplateError) -> String {
        try expand(data.templateData)
    }

    /// Expands for one alert, or returns `<error expanding template: …>` as Prometheus puts in the alert.
    package func expandOrError(_ data: AlertTemplateData) -> String {
        expandOrError(data.templateData)
    }
}
