/// Klaxon's own rule on alert labels: routing needs a literal `severity` of P0–P3 on every
/// alerting rule. `source` and `rule_id` are optional.
///
/// Other vocabularies (`critical`, `warning`, `info`) are refused, not translated: a silent
/// mapping would route an alert differently from what its file says. `suggestion(for:)` offers
/// the usual mapping for the error message only.
package enum KlaxonLabelPolicy {
    /// The severities Klaxon routes, most urgent first.
    package static let severities = ["P0", "P1", "P2", "P3"]

    /// Throws when the rule's `severity` label is missing, templated, or not one of P0–P3.
    package static func validate(_ rule: AlertingRule) throws(RuleError) {
        try validate(
            ruleName: rule.name,
            labels: Dictionary(rule.rawLabels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }))
    }

    /// The same check on a rule's labels as written in the file.
    package static func validate(ruleName: String, labels: [String: String]) throws(RuleError) {
        let allowed = severities.joined(separator: ", ")
        guard let severity = labels["severity"], !severity.isEmpty else {
            throw RuleError(
                rule: ruleName,
                message: "label severity is missing; every alerting rule needs severity: one of \(allowed)")
        }
        guard !severity.contains("{{") else {
            throw RuleError(
                rule: ruleName,
                message: "label severity is a template (\"\(severity)\"); it must be one of \(allowed) as written")
        }
        guard severities.contains(severity) else {
            var message = "label severity is \"\(severity)\"; allowed: \(allowed)"
            if let suggested = suggestion(for: severity) { message += " (did you mean \(suggested)?)" }
            throw RuleError(rule: ruleName, message: message)
        }
    }

    /// The P-level usually meant by another vocabulary's severity, for error messages.
    package static func suggestion(for severity: String) -> String? {
        switch severity.lowercased() {
        case "critical", "page", "p0": "P0"
        case "warning", "warn", "p1": "P1"
        case "p2": "P2"
        case "info", "informational", "p3": "P3"
        default: nil
        }
    }
}
