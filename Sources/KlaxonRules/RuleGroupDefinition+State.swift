import KlaxonMetrics
import KlaxonPromQL

extension RuleGroupDefinition {
    /// A fresh evaluation state for the group's rules, alerts inactive.
    package func makeState(externalLabels: Labels = .empty, externalURL: String = "", resendDelay: Int64 = 60_000)
        -> RuleGroupState
    {
        let rules: [Rule] = rules.map { definition in
            switch definition.kind {
            case .alerting(let rule):
                .alerting(AlertingRuleState(rule: rule, externalLabels: externalLabels, externalURL: externalURL))
            case .recording(let rule):
                .recording(rule)
            }
        }
        return RuleGroupState(name: name, interval: interval, limit: limit, resendDelay: resendDelay, rules: rules)
    }

    /// The parsed expression of each rule by the text the group state asks for.
    package var expressions: [String: Expr] {
        Dictionary(rules.map { ($0.expression, $0.expr) }, uniquingKeysWith: { first, _ in first })
    }

    /// The query function a `RuleGroupState` of this group evaluates through.
    package func query(evaluator: Evaluator) -> RuleGroupState.Query {
        let expressions = self.expressions
        return { text, time in
            guard let expr = expressions[text] else {
                throw PromQLError("expression \"\(text)\" was not loaded with its group")
            }
            return try RuleResult.instantVector(evaluator.evaluate(expr, at: time))
        }
    }
}

/// What a rule's expression may return, as Prometheus's rule query function accepts it.
package enum RuleResult {
    /// A vector as it is, a scalar as one element without labels; anything else fails the rule.
    package static func instantVector(_ value: QueryValue) throws(PromQLError) -> [(labels: Labels, value: Double)] {
        switch value {
        case .vector(let elements): return elements.map { ($0.labels, $0.value) }
        case .scalar(let value): return [(Labels.empty, value)]
        case .string, .matrix: throw PromQLError("rule result is not a vector or scalar")
        }
    }
}
