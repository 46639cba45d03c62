import KlaxonMetrics
import KlaxonPromQL
import KlaxonTemplate

/// A rule inside a group: an alerting rule with its alert state, or a recording rule.
package enum Rule: Sendable {
    case alerting(AlertingRuleState)
    case recording(RecordingRule)

    /// `alert:` or `record:` name.
    package var name: String {
        switch self {
        case .alerting(let state): state.rule.name
        case .recording(let rule): rule.name
        }
    }

    /// The expression as written in the rule file.
    package var expression: String {
        switch self {
        case .alerting(let state): state.rule.expression
        case .recording(let rule): rule.expression
        }
    }
}

/// One group of rules evaluated together, in file order, as Prometheus's `Group.Eval` does.
///
/// The query engine is a parameter (`query`), so this type never imports it: the caller maps an
/// expression (parsed once at load) to its instant vector at a time. Output samples go to
/// `append` after each rule, so a later rule in the group reads what an earlier one recorded.
package struct RuleGroupState: Sendable {
    /// The instant vector of `expression` at `time` (Unix ms); errors fail that rule only.
    package typealias Query = (_ expression: String, _ time: Int64) throws -> [(labels: Labels, value: Double)]

    package let name: String
    /// Evaluation interval in milliseconds.
    package let interval: Int64
    /// Most alerts or series one rule may produce; 0 means no limit.
    package let limit: Int
    /// How often a still-firing alert is handed to the notifier again (Prometheus: 1 minute).
    package var resendDelay: Int64
    package private(set) var rules: [Rule]
    /// The series each rule wrote at the previous evaluation, sorted, to mark the vanished ones stale.
    private var previousSeries: [[Labels]]
    /// Metric name → the expression texts that read it, for those whose selectors all name their metric.
    /// Only these expressions' results are reused within a step (see `evaluate`).
    private let readers: [String: [String]]
    private let reusableExpressions: Set<String>

    /// Puts back the saved alerts of the alerting rule named `rule` (the first of that name), so
    /// `for` timers, `keep_firing_for` and active-since continue after a restart; see
    /// `AlertingRuleState.restore` for `holdUntil`.
    package mutating func restore(_ alerts: [Alert], rule name: String, holdUntil: Int64? = nil) {
        for index in rules.indices {
            guard case .alerting(var state) = rules[index], state.rule.name == name else { continue }
            state.restore(alerts, holdUntil: holdUntil)
            rules[index] = .alerting(state)
            return
        }
    }

    /// What one evaluation of the group produced besides its samples.
    package struct Step: Sendable {
        /// State changes of alerts, with the name of the rule.
        package var transitions: [(rule: String, transition: AlertTransition)] = []
        /// Alerts due to the notifier now (firing ones every `resendDelay`, resolutions at once).
        package var alertsToSend: [(rule: String, alert: Alert)] = []
        /// Rules that failed this time (query error, duplicate label sets, limit); others still ran.
        package var failures: [RuleError] = []
        /// Templates that failed to expand; the alert carries the error text instead.
        package var expansionErrors: [TemplateError] = []

        /// Nothing changed.
        package init() {}
    }

    package init(name: String, interval: Int64, limit: Int = 0, resendDelay: Int64 = 60_000, rules: [Rule]) {
        self.name = name
        self.interval = interval
        self.limit = limit
        self.resendDelay = resendDelay
        self.rules = rules
        previousSeries = Array(repeating: [], count: rules.count)
        var readers: [String: [String]] = [:]
        var reusable: Set<String> = []
        for rule in rules where !reusable.contains(rule.expression) {
            guard let names = (try? PromQL.parse(rule.expression))?.metricNames else { continue }
            reusable.insert(rule.expression)
            for name in names { readers[name, default: []].append(rule.expression) }
        }
        self.readers = readers
        reusableExpressions = reusable
    }

    /// Evaluates every rule at `now`, in order.
    package mutating func evaluate(at now: Int64, query: Query, append: ([RuleSample]) -> Void) -> Step {
        var step = Step()
        // Results of this step's queries that no rule has written into since, by expression text: several rules
        // often share an expression (one per severity, say), and one query at `now` then serves them all. A result
        // is dropped as soon as a rule writes a metric name it reads, so a later rule still sees earlier output.
        var reusable: [String: [(labels: Labels, value: Double)]] = [:]
        for index in rules.indices {
            let ruleName = rules[index].name
            let expression = rules[index].expression
            var samples: [RuleSample]
            do {
                let result: [(labels: Labels, value: Double)]
                if let earlier = reusable[expression] {
                    result = earlier
                } else {
                    result = try query(expression, now)
                    if reusableExpressions.contains(expression) { reusable[expression] = result }
                }
                switch rules[index] {
                case .recording(let rule):
                    samples = try rule.samples(from: result, at: now, limit: limit)
                case .alerting(var state):
                    defer { rules[index] = .alerting(state) }
                    let evaluation = try state.evaluate(result, at: now, limit: limit)
                    samples = evaluation.samples
                    step.transitions += evaluation.transitions.map { (ruleName, $0) }
                    step.expansionErrors += evaluation.expansionErrors
                    let due = state.alertsToSend(at: now, resendDelay: resendDelay, interval: interval)
                    step.alertsToSend += due.map { (ruleName, $0) }
                }
            } catch let error as RuleError {
                step.failures.append(error)
                continue
            } catch {
                // The query's own words, as Prometheus keeps them for the rule's lastError.
                step.failures.append(RuleError(rule: ruleName, message: "\(error)"))
                continue
            }
            let written = Self.sortedUnique(samples.map(\.labels))
            for labels in Self.missing(from: written, previously: previousSeries[index]) {
                samples.append(RuleSample(labels: labels, sample: Sample(timestamp: now, value: Sample.staleNaN)))
            }
            previousSeries[index] = written
            append(samples)
            if !reusable.isEmpty { forgetResults(readingNamesIn: samples, from: &reusable) }
        }
        return step
    }

    /// Stale markers for everything the group wrote last, for when the group is removed on reload.
    package func staleMarkers(at now: Int64) -> [RuleSample] {
        previousSeries.joined().map {
            RuleSample(labels: $0, sample: Sample(timestamp: now, value: Sample.staleNaN))
        }
    }

    // MARK: - Helpers

    /// Drops the reused results of expressions that read a metric name among `samples`.
    private func forgetResults(
        readingNamesIn samples: [RuleSample], from reusable: inout [String: [(labels: Labels, value: Double)]]
    ) {
        var previousName: String?
        for sample in samples {
            // Samples come grouped by name (ALERTS, ALERTS_FOR_STATE, or one recorded name), so this skips most.
            guard let name = sample.labels.metricName, name != previousName else { continue }
            previousName = name
            for expression in readers[name] ?? [] { reusable[expression] = nil }
        }
    }

    /// `labels` sorted, without duplicates.
    private static func sortedUnique(_ labels: [Labels]) -> [Labels] {
        var sorted = labels
        if zip(sorted, sorted.dropFirst()).contains(where: { !($0 < $1) }) {
            sorted.sort()
            var unique: [Labels] = []
            unique.reserveCapacity(sorted.count)
            for item in sorted where unique.last != item { unique.append(item) }
            sorted = unique
        }
        return sorted
    }

    /// The members of sorted `previous` absent from sorted `current`, in order.
    private static func missing(from current: [Labels], previously previous: [Labels]) -> [Labels] {
        var gone: [Labels] = []
        var position = 0
        for old in previous {
            while position < current.count && current[position] < old { position += 1 }
            if position < current.count && current[position] == old { continue }
            gone.append(old)
        }
        return gone
    }
}
