import KlaxonMetrics
import KlaxonRules
import Synchronization

/// The rule manager's reload and evaluation status as self-metrics (`klaxon_rules_*`,
/// `klaxon_rule_group_*`), refreshed before each `/metrics` render.
package final class RuleStatusMetrics: Sendable {
    private let gauges: [String: Gauge]
    private let counters: [String: Counter]
    /// The status values last mirrored into the counters, which only move by increments.
    private let mirrored = Mutex<[String: Double]>([:])

    /// Registers one family per status value: counters for `_total` names, gauges for the rest.
    package init(registry: MetricRegistry) throws(MetricRegistryError) {
        var gauges: [String: Gauge] = [:]
        var counters: [String: Counter] = [:]
        for (name, help) in Self.help {
            if name.hasSuffix("_total") {
                counters[name] = try registry.counter(name, help: help).labels()
            } else {
                gauges[name] = try registry.gauge(name, help: help).labels()
            }
        }
        self.gauges = gauges
        self.counters = counters
    }

    /// Copies `status` into the instruments; names this server does not know are left out.
    package func update(from status: RuleManagerStatus) {
        let samples = status.metricSamples
        mirrored.withLock { last in
            for (name, value) in samples {
                if let gauge = gauges[name] {
                    gauge.set(value)
                } else if let counter = counters[name] {
                    counter.increment(by: value - (last[name] ?? 0))
                    last[name] = max(value, last[name] ?? 0)
                }
            }
        }
    }

    /// Every status value the rule manager reports, with its help text.
    private static let help = [
        "klaxon_rules_last_reload_successful": "Whether the last rule reload succeeded (1) or failed (0).",
        "klaxon_rules_last_reload_success_timestamp_seconds": "Unix time of the last successful rule reload.",
        "klaxon_rule_groups": "Rule groups loaded.",
        "klaxon_rules": "Rules loaded.",
        "klaxon_rule_group_evaluations_total": "Rule group evaluations run.",
        "klaxon_rule_group_evaluation_failures_total": "Rule group evaluations in which at least one rule failed.",
    ]
}
