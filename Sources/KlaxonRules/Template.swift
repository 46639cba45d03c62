import KlaxonMetrics

/// What an alert template sees: `$labels`/`.Labels`, `$externalLabels`, `$externalURL`, `$value`/`.Value`.
package struct AlertTemplateData: Sendable {
    package var labels: Labels
    package var externalLabels: Labels
    package var externalURL: String
    package var value: Double

    package init(labels: Labels, externalLabels: Labels = .empty, externalURL: String = "", value: Double) {
        self.labels = labels
        self.externalLabels = externalLabels
        self.externalURL = externalURL
        self.value = value
    }
}

/// A Prometheus alert template (a subset of Go's text/template), parsed once when rules load and
/// expanded for every alert at evaluation time.
///
/// Supported: text, `{{ pipeline }}`, `{{- -}}` trimming, comments, `if`/`else if`/`else`/`end`,
/// `with`, `range` over maps (with `break`/`continue`), variables (`$x :=`, `$x =`), fields on
/// dot and on variables, parentheses, string/raw/char/number/bool literals, and the functions in
/// `TemplateFunctions.supported`. Not supported: `define`, `template`, `block`, method calls.
package struct Template: Sendable {
    /// Longest template text accepted.
    package static let maxLength = 64 * 1024
    /// Longest expansion produced; more is an expansion error.
    package static let maxOutput = 1024 * 1024

    /// The variables Prometheus defines before every alert template.
    static let predefinedVariables = ["$labels", "$externalLabels", "$externalURL", "$value"]

    /// The name used in error messages.
    package let name: String
    /// The source text.
    package let text: String
    let nodes: [TemplateNode]
    /// The output when the template has no actions (only text and comments).
    private let constantOutput: String?

    /// Parses `text`; a syntax error, unknown function, undefined variable or wrong argument
    /// count throws an error naming the line and column.
    package init(_ text: String, name: String) throws(TemplateError) {
        self.name = name
        self.text = text
        guard text.utf8.count <= Self.maxLength else {
            throw TemplateError(
                .parse, template: name, position: TemplatePosition(line: 1, column: 1),
                message: "template is \(text.utf8.count) bytes; at most \(Self.maxLength) are allowed")
        }
        guard text.contains("{{") else {
            nodes = text.isEmpty ? [] : [.text(text)]
            constantOutput = text
            return
        }
        let tokens = try TemplateLexer.tokenize(text, name: name)
        var parser = TemplateParser(tokens: tokens, name: name, predefined: Self.predefinedVariables)
        nodes = try parser.parse()
        var constant: String? = ""
        for node in nodes {
            guard case .text(let part) = node else {
                constant = nil
                break
            }
            constant? += part
        }
        constantOutput = constant
    }

    /// True when the text has no actions, so every expansion gives the same text.
    package var isConstant: Bool { constantOutput != nil }

    /// Expands the template for one alert.
    package func expand(_ data: AlertTemplateData) throws(TemplateError) -> String {
        if let constantOutput { return constantOutput }
        var executor = TemplateExecutor(name: name, context: TemplateContext(data))
        try executor.run(nodes)
        return executor.output
    }

    /// Expands, or returns `<error expanding template: …>` as Prometheus puts in the alert.
    package func expandOrError(_ data: AlertTemplateData) -> String {
        do {
            return try expand(data)
        } catch {
            return "<error expanding template: \(error.description)>"
        }
    }
}

/// The dot of an alert template and the values its predefined variables start with.
struct TemplateContext: Sendable {
    var dot: TemplateValue
    var externalURL: String
    var variables: [(String, TemplateValue)]

    init(_ data: AlertTemplateData) {
        let labels = TemplateValue.map(Dictionary(data.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }))
        let external = TemplateValue.map(
            Dictionary(data.externalLabels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }))
        dot = .record([
            TemplateField(name: "Labels", value: labels),
            TemplateField(name: "ExternalLabels", value: external),
            TemplateField(name: "ExternalURL", value: .string(data.externalURL)),
            TemplateField(name: "Value", value: .float(data.value)),
        ])
        externalURL = data.externalURL
        variables = [
            ("$", dot), ("$labels", labels), ("$externalLabels", external),
            ("$externalURL", .string(data.externalURL)), ("$value", .float(data.value)),
        ]
    }
}
