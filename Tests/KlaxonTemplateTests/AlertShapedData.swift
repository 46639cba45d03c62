import KlaxonTemplate

/// Data shaped as Prometheus shapes an alert's (`$labels`, `$externalLabels`, `$externalURL`,
/// `$value` and the same as fields of dot), so outputs recorded from promtool apply. The rule
/// engine builds the same shape from its own types; these tests see only the template engine.
enum AlertShapedData {
    static let variables = ["$labels", "$externalLabels", "$externalURL", "$value"]

    static func make(
        labels: [String: String], externalLabels: [String: String] = [:], externalURL: String = "", value: Double
    ) -> TemplateData {
        let dot = TemplateValue.record([
            TemplateField(name: "Labels", value: .map(labels)),
            TemplateField(name: "ExternalLabels", value: .map(externalLabels)),
            TemplateField(name: "ExternalURL", value: .string(externalURL)),
            TemplateField(name: "Value", value: .float(value)),
        ])
        return TemplateData(
            dot: dot,
            variables: [
                ("$labels", .map(labels)), ("$externalLabels", .map(externalLabels)),
                ("$externalURL", .string(externalURL)), ("$value", .float(value)),
            ],
            externalURL: externalURL)
    }

    /// Parses `text` with the alert variables defined.
    static func template(_ text: String, name: String = "t") throws(TemplateError) -> Template {
        try Template(text, name: name, variables: variables)
    }
}
