/// What a template sees when it runs: its dot, the variables defined before it starts, and the
/// URL behind `externalURL`/`pathPrefix`.
///
/// The caller shapes the data: the rule engine gives an alert's `$labels`, `$value`, …
/// (`AlertTemplateData` in KlaxonRules); a notifier gives its message's. The engine knows no rule.
package struct TemplateData: Sendable {
    /// The value of `.` (and `$`) when the template starts.
    package var dot: TemplateValue
    /// Variables defined before the template runs, with their `$`: `$labels`, `$value`, ….
    package var variables: [(name: String, value: TemplateValue)]
    /// What `externalURL` returns; `pathPrefix` returns its path.
    package var externalURL: String

    package init(dot: TemplateValue, variables: [(name: String, value: TemplateValue)] = [], externalURL: String = "") {
        self.dot = dot
        self.variables = variables
        self.externalURL = externalURL
    }
}

/// A Go text/template (the subset Prometheus's alert templates use), parsed once when its rule or
/// message loads and expanded for every alert.
///
/// Supported: text, `{{ pipeline }}`, `{{- -}}` trimming, comments, `if`/`else if`/`else`/`end`,
/// `with`, `range` over maps and slices (with `break`/`continue`), variables (`$x :=`, `$x =`), fields on
/// dot and on variables, parentheses, string/raw/char/number/bool literals, and the functions in
/// `TemplateFunctions.supported`. Not supported: `define`, `template`, `block`, method calls.
package struct Template: Sendable {
    /// Longest template text accepted.
    package static let maxLength = 64 * 1024
    /// Longest expansion produced; more is an expansion error.
    package static let maxOutput = 1024 * 1024

    /// The name used in error messages.
    package let name: String
    /// The source text.
    package let text: String
    let nodes: [TemplateNode]
    /// The output when the template has no actions (only text and comments).
    private let constantOutput: String?

    /// Parses `text`; a syntax error, unknown function, undefined variable or wrong argument
    /// count throws an error naming the line and column. `variables` names (with their `$`) the
    /// variables the data will define, so using any other one is a load error.
    package init(_ text: String, name: String, variables: [String]) throws(TemplateError) {
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
        var parser = TemplateParser(tokens: tokens, name: name, predefined: variables)
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

    /// Expands the template for one data value.
    package func expand(_ data: TemplateData) throws(TemplateError) -> String {
        if let constantOutput { return constantOutput }
        var executor = TemplateExecutor(name: name, data: data)
        try executor.run(nodes)
        return executor.output
    }

    /// Expands, or returns `<error expanding template: …>` as Prometheus puts in the alert.
    package func expandOrError(_ data: TemplateData) -> String {
        do {
            return try expand(data)
        } catch {
            return "<error expanding template: \(error.description)>"
        }
    }
}
