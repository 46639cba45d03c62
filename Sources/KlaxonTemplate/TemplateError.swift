/// A line and column (both from 1) inside one template's text, for error messages.
package struct TemplatePosition: Hashable, Sendable, CustomStringConvertible {
    package var line: Int
    package var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    package var description: String { "line \(line), column \(column)" }
}

/// Why an alert template failed to load or to expand.
///
/// Load errors (syntax, unknown function, undefined variable, wrong argument count) are found
/// when the rule file is read; expansion errors (a value of the wrong type reaching a function)
/// are found when an alert is evaluated and become `<error expanding template: …>`, as in Prometheus.
package struct TemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Whether the template could not be parsed or could not be executed.
    package enum Phase: String, Sendable {
        case parse
        case execute
    }

    package var phase: Phase
    /// The template's name (for alert templates: `__alert_<name>` plus the label or annotation).
    package var template: String
    package var position: TemplatePosition
    /// What went wrong, in one sentence without the location.
    package var message: String

    package init(_ phase: Phase, template: String, position: TemplatePosition, message: String) {
        self.phase = phase
        self.template = template
        self.position = position
        self.message = message
    }

    package var description: String {
        switch phase {
        case .parse: "template \(template): \(position): \(message)"
        case .execute: "error executing template \(template) at \(position): \(message)"
        }
    }
}
