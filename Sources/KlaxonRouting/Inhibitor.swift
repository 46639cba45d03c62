import KlaxonConfig
import KlaxonMetrics

/// Alertmanager's inhibition over the alerts routing currently knows to be firing.
package struct Inhibitor: Sendable {
    package var rules: [InhibitRule]

    package init(rules: [InhibitRule]) {
        self.rules = rules
    }

    /// The firing alert that mutes `target`, or nil.
    ///
    /// As Alertmanager: a source must fire, match `source_matchers` and agree with the target on
    /// every `equal` label; when the target matches the source matchers too, sources that also
    /// match the target matchers are skipped, so two alerts of one rule cannot mute each other.
    package func inhibitor(of target: Labels, among firing: some Sequence<AlertEvent>) -> AlertEvent? {
        for rule in rules where rule.targetMatchers.allSatisfy({ $0.matches(target) }) {
            let targetIsSource = rule.sourceMatchers.allSatisfy { $0.matches(target) }
            for source in firing where source.status == .firing {
                guard rule.sourceMatchers.allSatisfy({ $0.matches(source.labels) }) else { continue }
                guard rule.equal.allSatisfy({ (source.labels[$0] ?? "") == (target[$0] ?? "") }) else { continue }
                if targetIsSource && rule.targetMatchers.allSatisfy({ $0.matches(source.labels) }) { continue }
                return source
            }
        }
        return nil
    }
}
