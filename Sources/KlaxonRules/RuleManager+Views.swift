import KlaxonPromQL

/// One loaded group as the rules API shows it: its definition, last evaluation and each rule's state.
package struct RuleGroupView: Sendable {
    package var definition: RuleGroupDefinition
    /// Unix ms of the last evaluation; nil before the first.
    package var lastEvaluation: Int64?
    /// How long the last evaluation took.
    package var lastDuration: Duration
    /// The group's rules in file order.
    package var rules: [RuleView]
}

/// One rule as the rules API shows it.
package struct RuleView: Sendable {
    package var definition: RuleDefinition
    /// The pending and firing alerts of an alerting rule (none for a recording rule).
    package var alerts: [Alert]
    /// Why the rule failed at the last evaluation; nil when it did not.
    package var lastError: String?
    /// The time its expression's query took at the last evaluation (rules of one expression share it).
    package var lastDuration: Duration

    /// The most advanced state of its alerts: firing, else pending, else inactive.
    package var state: AlertState { alerts.map(\.state).max() ?? .inactive }
}

extension RuleManager {
    /// Every loaded group with its rules' alerts, failures and timings, in file order.
    package var groupViews: [RuleGroupView] {
        state.withLock { state in
            state.order.compactMap { key -> RuleGroupView? in
                guard let slot = state.slots[key] else { return nil }
                let rules = slot.definition.rules.enumerated().map { index, definition in
                    var alerts: [Alert] = []
                    if index < slot.group.rules.count, case .alerting(let alerting) = slot.group.rules[index] {
                        alerts = alerting.alerts.filter { $0.state != .inactive }
                    }
                    return RuleView(
                        definition: definition, alerts: alerts,
                        lastError: slot.lastFailures.first { $0.rule == definition.name }?.message,
                        lastDuration: slot.lastQueryDurations[definition.expression] ?? .zero)
                }
                return RuleGroupView(
                    definition: slot.definition, lastEvaluation: slot.lastEvaluation, lastDuration: slot.lastDuration,
                    rules: rules)
            }
        }
    }
}
