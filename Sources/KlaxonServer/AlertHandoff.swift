import KlaxonMetrics
import KlaxonRouting
import KlaxonRules

/// Where the rule engine's alerts cross into routing: transitions become `AlertEvent`s for the
/// routing queue, and each group's pending and firing alerts are saved so a restart resumes them.
///
/// The rule engine knows nothing of this; the server hands `handle` to it as its notify function.
package struct AlertHandoff: Sendable {
    /// Queues events for the router without waiting (`RoutingEngine.submit`).
    package var submit: @Sendable ([AlertEvent]) -> Void
    /// Writes a group's saved alerts to the store.
    package var persist: @Sendable ([StoreWrite]) -> Void
    /// The current alerts of one group, by rule (`RuleManager.alerts`).
    package var groupAlerts: @Sendable (RuleGroupKey) -> [(rule: String, alert: Alert)]
    /// The generator URL of a rule's alerts (`AlertingRule.generatorURL`).
    package var generatorURL: @Sendable (RuleGroupKey, String) -> String

    package init(
        submit: @escaping @Sendable ([AlertEvent]) -> Void, persist: @escaping @Sendable ([StoreWrite]) -> Void,
        groupAlerts: @escaping @Sendable (RuleGroupKey) -> [(rule: String, alert: Alert)],
        generatorURL: @escaping @Sendable (RuleGroupKey, String) -> String
    ) {
        self.submit = submit
        self.persist = persist
        self.groupAlerts = groupAlerts
        self.generatorURL = generatorURL
    }

    /// Passes an evaluation's firing and resolved transitions to routing and saves the group's
    /// alerts when any of them changed state.
    package func handle(_ report: RuleEvaluationReport) {
        let transitions = report.step.transitions
        guard !transitions.isEmpty else { return }
        var events: [AlertEvent] = []
        for (rule, transition) in transitions {
            let status: AlertEvent.Status
            switch transition.kind {
            case .firing: status = .firing
            case .resolved: status = .resolved
            case .pending, .cancelled: continue
            }
            events.append(
                Self.event(
                    transition.alert, status: status, generatorURL: generatorURL(report.group, rule),
                    observedAt: report.time))
        }
        // Saved first: an event routed and then lost to a crash before its rule state is saved
        // would re-fire after the restart, which dedupe absorbs; the other order could forget it.
        let saved = groupAlerts(report.group).compactMap {
            Self.persisted($0.alert, rule: $0.rule, group: report.group)
        }
        persist([.activeAlerts(group: report.group.description, alerts: saved)])
        if !events.isEmpty { submit(events) }
    }

    // MARK: - Conversion

    /// The routing event for a rule alert.
    package static func event(
        _ alert: Alert, status: AlertEvent.Status, generatorURL: String, observedAt: Int64?
    ) -> AlertEvent {
        AlertEvent(
            labels: alert.labels, annotations: alert.annotations, status: status, activeAt: alert.activeAt,
            startsAt: alert.firedAt ?? alert.activeAt, resolvedAt: status == .resolved ? alert.resolvedAt : nil,
            value: alert.value, generatorURL: generatorURL, observedAt: observedAt)
    }

    /// A pending or firing alert as the store keeps it; nil for inactive ones (nothing to resume).
    package static func persisted(_ alert: Alert, rule: String, group: RuleGroupKey) -> PersistedAlert? {
        guard alert.state != .inactive else { return nil }
        return PersistedAlert(
            group: group.description, rule: rule, labels: alert.labels, annotations: alert.annotations,
            state: alert.state.rawValue, value: alert.value, activeAt: alert.activeAt, firedAt: alert.firedAt,
            keepFiringSince: alert.keepFiringSince, lastSentAt: alert.lastSentAt, validUntil: alert.validUntil)
    }

    /// Saved alerts back in the rule engine's terms, for the groups loaded now; others are dropped.
    package static func restored(_ saved: [PersistedAlert], groups: [RuleGroupKey]) -> [RestoredAlert] {
        let byName = Dictionary(groups.map { ($0.description, $0) }, uniquingKeysWith: { first, _ in first })
        return saved.compactMap { item in
            guard let key = byName[item.group], let state = AlertState(rawValue: item.state), state != .inactive else {
                return nil
            }
            let alert = Alert(
                state: state, labels: item.labels, annotations: item.annotations, value: item.value,
                activeAt: item.activeAt, firedAt: item.firedAt, lastSentAt: item.lastSentAt,
                validUntil: item.validUntil, keepFiringSince: item.keepFiringSince)
            return RestoredAlert(group: key, rule: item.rule, alert: alert)
        }
    }
}
