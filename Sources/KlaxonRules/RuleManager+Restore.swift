import KlaxonMetrics

/// A pending or firing alert saved before a restart, to be put back into its rule.
package struct RestoredAlert: Sendable, Equatable {
    package var group: RuleGroupKey
    package var rule: String
    package var alert: Alert

    package init(group: RuleGroupKey, rule: String, alert: Alert) {
        self.group = group
        self.rule = rule
        self.alert = alert
    }
}

extension RuleManager {
    /// Puts saved alerts back into the loaded rules, so a restart neither re-pages nor forgets:
    /// a firing alert whose condition still holds stays firing without a new notification, and a
    /// pending one fires when its `for` has elapsed since the saved active time, not since the
    /// restart. Alerts of groups or rules no longer loaded are returned, not restored.
    ///
    /// For `options.restoreGrace` after the restore, an alert whose series has not been pushed
    /// again keeps its state rather than resolving (pushed series do not outlive the process).
    /// Times later than `now` (a clock step back, a corrupt row) are clamped to `now`.
    @discardableResult
    package func restore(_ saved: [RestoredAlert]) -> [RestoredAlert] {
        let now = dependencies.clock.nowMilliseconds()
        return evaluationGate.withLock { _ in
            state.withLock { state -> [RestoredAlert] in
                var unknown: [RestoredAlert] = []
                var byRule: [RuleGroupKey: [String: [Alert]]] = [:]
                for item in saved {
                    guard let slot = state.slots[item.group],
                        slot.definition.rules.contains(where: { rule in
                            if case .alerting = rule.kind { rule.name == item.rule } else { false }
                        })
                    else {
                        unknown.append(item)
                        continue
                    }
                    byRule[item.group, default: [:]][item.rule, default: []].append(Self.clamped(item.alert, now: now))
                }
                for (key, rules) in byRule {
                    for (rule, alerts) in rules {
                        state.slots[key]?.group.restore(
                            alerts, rule: rule, holdUntil: now &+ max(0, options.restoreGrace))
                    }
                }
                return unknown
            }
        }
    }

    private static func clamped(_ alert: Alert, now: Int64) -> Alert {
        var copy = alert
        copy.activeAt = min(max(copy.activeAt, 0), now)
        copy.firedAt = copy.firedAt.map { min(max($0, copy.activeAt), now) }
        copy.keepFiringSince = copy.keepFiringSince.map { min(max($0, 0), now) }
        copy.lastSentAt = copy.lastSentAt.map { min(max($0, 0), now) }
        copy.validUntil = copy.validUntil.map { max($0, 0) }
        copy.resolvedAt = nil
        return copy
    }
}
