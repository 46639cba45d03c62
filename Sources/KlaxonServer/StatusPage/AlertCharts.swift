import KlaxonMetrics
import KlaxonPromQL
import KlaxonRouting
import KlaxonRules

/// The last 30 minutes of each active alert's expression, from Klaxon's own samples, as the
/// status page's inline charts.
///
/// An alert is traced back to its rule through the rule manager's alerts (same labels). When the
/// rule's expression is a filtering comparison with a number (`x > 0.5`), the chart shows `x` and
/// the number as a threshold line: the expression itself would only have points while it fires.
/// Each rule's range is evaluated once per page and its series are matched to the alerts by their
/// labels, leaving out `alertname` and the labels the rule sets.
struct AlertCharts {
    /// How far back a chart reaches, and the step between its points: 121 points, so an alert
    /// that fired 15 s ago already has a line, and a chart stays near 1.5 KB of markup.
    static let window: Int64 = 30 * 60_000
    static let step: Int64 = 15_000
    /// Rules evaluated for one page at most; the alerts of further rules get no chart.
    static let maxRules = 50
    /// What shows instead of a chart for an alert no loaded rule produces (restored, or its rule
    /// changed at a reload).
    static let noRule = "<span class=\"chart-empty\">no rule loaded</span>"

    /// Evaluates a PromQL expression from `start` to `end` every `step` (Unix ms).
    typealias EvaluateRange =
        @Sendable (_ expression: String, _ start: Int64, _ end: Int64, _ step: Int64)
        throws(PromQLError) -> [SeriesSamples]

    /// What to draw for one rule: the expression charted and the threshold, if any.
    struct Plan: Equatable {
        var expression: String
        var threshold: Double?

        /// `lhs op number` (no `bool`) charts `lhs` with the number as threshold; `number op rhs`
        /// likewise; anything else charts the whole expression.
        init(_ expr: Expr) {
            let bare = Self.unwrapped(expr)
            if case .binary(let binary) = bare, binary.op.isComparison, !binary.returnBool {
                if case .number(let value) = Self.unwrapped(binary.rhs), binary.lhs.type == .vector {
                    self.expression = binary.lhs.description
                    self.threshold = value
                    return
                }
                if case .number(let value) = Self.unwrapped(binary.lhs), binary.rhs.type == .vector {
                    self.expression = binary.rhs.description
                    self.threshold = value
                    return
                }
            }
            self.expression = expr.description
            self.threshold = nil
        }

        private static func unwrapped(_ expr: Expr) -> Expr {
            if case .paren(let inner) = expr { return unwrapped(inner) }
            return expr
        }
    }

    /// One rule's evaluated range, keyed by the labels that identify an alert of it.
    private struct RuleSeries {
        var plan: Plan
        var ignored: Set<String>
        var series: [Labels: [Sample]]
        var failure: String?
    }

    let rules: RuleManager
    let evaluateRange: EvaluateRange

    /// The chart (SVG or a short note) for each alert of `alerts` that a loaded rule produced.
    func charts(for alerts: [AlertEvent], now: Int64) -> [Fingerprint: String] {
        let start = now &- Self.window
        var origins: [Labels: (group: RuleGroupKey, rule: String)] = [:]
        for entry in rules.alerts { origins[entry.alert.labels] = (entry.group, entry.rule) }
        let definitions = Dictionary(rules.groups.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var evaluated: [String: RuleSeries] = [:]
        var charts: [Fingerprint: String] = [:]
        for alert in alerts {
            guard let origin = origins[alert.labels],
                let definition = definitions[origin.group]?.rules.first(where: { Self.isAlert($0, named: origin.rule) })
            else { continue }
            let key = origin.group.description + "\u{0}" + origin.rule
            if evaluated[key] == nil {
                guard evaluated.count < Self.maxRules else {
                    charts[alert.fingerprint] = "<span class=\"chart-empty\">chart skipped: too many rules</span>"
                    continue
                }
                evaluated[key] = evaluate(definition, start: start, end: now)
            }
            guard let result = evaluated[key] else { continue }
            if let failure = result.failure {
                charts[alert.fingerprint] =
                    "<span class=\"chart-empty\">no chart: \(HTMLText.escape(failure))</span>"
                continue
            }
            let samples = result.series[alert.labels.removing(result.ignored)] ?? []
            charts[alert.fingerprint] = StatusChart.svg(
                samples, start: start, end: now, step: Self.step, threshold: result.plan.threshold,
                title: result.plan.expression)
        }
        return charts
    }

    private static func isAlert(_ rule: RuleDefinition, named name: String) -> Bool {
        if case .alerting(let alerting) = rule.kind { return alerting.name == name }
        return false
    }

    private func evaluate(_ definition: RuleDefinition, start: Int64, end: Int64) -> RuleSeries {
        let plan = Plan(definition.expr)
        var ignored: Set<String> = ["alertname", Labels.metricNameLabel]
        if case .alerting(let alerting) = definition.kind {
            for label in alerting.rawLabels { ignored.insert(label.name) }
        }
        var result = RuleSeries(plan: plan, ignored: ignored, series: [:])
        do throws(PromQLError) {
            for series in try evaluateRange(plan.expression, start, end, Self.step) {
                result.series[series.labels.removing(ignored)] = series.samples
            }
        } catch {
            result.failure = error.description
        }
        return result
    }
}
