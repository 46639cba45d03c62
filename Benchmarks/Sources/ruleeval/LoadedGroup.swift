import BenchSupport
import KlaxonConfig
import KlaxonPromQL
import KlaxonRules

/// The one rule group of the peers' `rules.yml`, with every expression parsed once.
struct LoadedGroup {
    let name: String
    /// Evaluation interval in milliseconds.
    let interval: Int64
    let rules: [Rule]
    /// Parsed expressions by their text, as the server keeps them after loading.
    let expressions: [String: Expr]
    /// Each rule's parsed expression in file order (several rules share an expression text).
    let ruleExpressions: [Expr]

    init(yaml: [UInt8]) throws {
        let document = try YAML.parse(bytes: yaml, file: "rules.yml")
        guard let group = document["groups"]?.sequenceItems?.first, let name = group["name"]?.scalarText,
            let items = group["rules"]?.sequenceItems
        else { throw WorkloadError("rules.yml has no group with a name and rules") }
        self.name = name
        interval = group["interval"]?.scalarText.flatMap(PrometheusDuration.parse) ?? 60_000
        var rules: [Rule] = []
        var expressions: [String: Expr] = [:]
        var ruleExpressions: [Expr] = []
        for item in items {
            guard let alert = item["alert"]?.scalarText, let expression = item["expr"]?.scalarText else {
                throw WorkloadError("rules.yml: a rule without alert or expr at \(item.mark)")
            }
            let rule = try AlertingRule(
                name: alert, expression: expression,
                holdDuration: item["for"]?.scalarText.flatMap(PrometheusDuration.parse) ?? 0,
                labels: Self.strings(item["labels"]), annotations: Self.strings(item["annotations"]))
            rules.append(.alerting(AlertingRuleState(rule: rule)))
            let parsed = try PromQL.parse(expression)
            expressions[expression] = parsed
            ruleExpressions.append(parsed)
        }
        self.rules = rules
        self.expressions = expressions
        self.ruleExpressions = ruleExpressions
    }

    private static func strings(_ node: YAMLNode?) -> [String: String] {
        var result: [String: String] = [:]
        for entry in node?.mappingEntries ?? [] { result[entry.key] = entry.value.scalarText ?? "" }
        return result
    }
}
