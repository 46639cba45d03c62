import KlaxonMetrics
import KlaxonRules
import KlaxonRuntime

/// Where the rule manager's output goes: recorded series and `ALERTS`/`ALERTS_FOR_STATE` into the
/// store (so `/metrics`, queries and later rules see them), alert changes and failures to the log.
package struct RuleOutput: Sendable {
    /// A rule group keeps its series until the rule manager writes stale markers for them; the
    /// store's own expiry must never remove them in between, however long the group's interval.
    static let staleAfter: Int64 = 366 * 86_400_000

    private let store: SeriesStore
    private let logger: Logger

    package init(store: SeriesStore, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Appends one rule's samples (stale markers included) for the group `owner`.
    package func append(owner: String, samples: [RuleSample]) {
        guard let now = samples.first?.sample.timestamp else { return }
        do {
            try store.append(
                owner: .ruleGroup(owner), Self.families(samples), now: now, staleAfter: Self.staleAfter)
        } catch {
            logger.warning("rule output refused by the store", ["rule.group": owner, "error": error.description])
        }
    }

    /// Logs what an evaluation changed; delivery to people is the router's job, not this one's.
    package func report(_ report: RuleEvaluationReport) {
        for (rule, transition) in report.step.transitions {
            logger.info(
                "alert state changed",
                [
                    "rule.group": report.group.description, "rule.name": rule, "alert.state": transition.kind.rawValue,
                    "alert.labels": transition.alert.labels.description,
                    "alert.fingerprint": transition.alert.fingerprint.description,
                ])
        }
        for failure in report.step.failures {
            logger.warning(
                "rule evaluation failed", ["rule.group": report.group.description, "error": failure.description])
        }
        for failure in report.step.expansionErrors {
            logger.warning(
                "alert template expansion failed", ["rule.group": report.group.description, "error": failure.description])
        }
    }

    // MARK: - Conversion

    /// Rule samples grouped into families by metric name, written at the evaluation time.
    static func families(_ samples: [RuleSample]) -> [ParsedFamily] {
        var order: [String] = []
        var byName: [String: [ParsedSample]] = [:]
        for sample in samples {
            let name = sample.labels.metricName ?? ""
            if byName[name] == nil { order.append(name) }
            byName[name, default: []].append(
                ParsedSample(name: name, labels: sample.labels.droppingMetricName, value: sample.sample.value))
        }
        return order.map { name in
            ParsedFamily(name: name, type: type(of: name), help: help(of: name), samples: byName[name] ?? [])
        }
    }

    private static func type(of name: String) -> MetricType {
        name == "ALERTS" || name == "ALERTS_FOR_STATE" ? .gauge : .untyped
    }

    private static func help(of name: String) -> String {
        switch name {
        case "ALERTS": "Alerts pending or firing in Klaxon's rule evaluation, one series per alert and state."
        case "ALERTS_FOR_STATE": "Unix time at which each pending or firing alert became active."
        default: "Recorded by a Klaxon recording rule."
        }
    }
}
