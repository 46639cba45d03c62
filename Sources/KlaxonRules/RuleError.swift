import KlaxonTemplate

/// Why a rule could not be loaded or evaluated; the message names the rule and what is allowed.
package struct RuleError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The rule's name (`alert:` or `record:`).
    package var rule: String
    /// The sentence an operator reads after the rule name.
    package var message: String

    package init(rule: String, message: String) {
        self.rule = rule
        self.message = message
    }

    package var description: String { "rule \"\(rule)\": \(message)" }

    /// A label or annotation template that does not parse.
    package static func template(rule: String, field: String, _ error: TemplateError) -> RuleError {
        RuleError(rule: rule, message: "\(field): \(error.description)")
    }

    /// Two elements of the result became one alert after the rule's labels were applied.
    package static func duplicateLabelSet(rule: String) -> RuleError {
        RuleError(rule: rule, message: "vector contains metrics with the same labelset after applying alert labels")
    }

    /// More active alerts than the group's `limit`.
    package static func limitExceeded(rule: String, limit: Int, count: Int) -> RuleError {
        RuleError(rule: rule, message: "exceeded limit of \(limit) with \(count) alerts")
    }
}
