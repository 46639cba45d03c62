import KlaxonHTTP
import KlaxonMetrics
import KlaxonRules
import KlaxonRuntime
import KlaxonTemplate

/// `GET /api/v1/rules`: the loaded rule groups, their rules' state, health and alerts, in
/// Prometheus 2.42's shape, so Grafana and other Prometheus clients can list Klaxon's rules.
///
/// `?type=alert` or `?type=record` keeps one kind. Groups come in file order (Prometheus's order
/// is its map's), rules in their group's order. Times are Go's RFC 3339 with the fraction trimmed,
/// durations seconds, alert values Go's `%e` shortest, as Prometheus writes them.
enum RulesAPI {
    static let path = "/api/v1/rules"

    static func register(in router: inout HTTPRouter, rules: RuleManager) {
        router.add("GET", path) { request in handle(request, groups: rules.groupViews) }
    }

    static func handle(_ request: HTTPRequest, groups: [RuleGroupView]) -> HTTPResponse {
        let kind = request.query.first { $0.name == "type" }?.value ?? ""
        guard ["", "alert", "record"].contains(kind) else {
            let message = "invalid parameter \"type\": not supported value \(GoQuote.quote(kind, delimiter: "\""))"
            return HTTPResponse.json(QueryResultJSON.error(type: "bad_data", message: message), status: .badRequest)
        }
        let rendered = groups.map { group($0, kind: kind) }
        return APIJSON.success("{\"groups\":" + APIJSON.array(rendered) + "}")
    }

    private static func group(_ view: RuleGroupView, kind: String) -> String {
        var object = JSONObjectWriter()
        object.string("name", view.definition.name)
        object.string("file", view.definition.file)
        let rules = view.rules.compactMap { rule -> String? in
            switch rule.definition.kind {
            case .alerting(let alerting): kind == "record" ? nil : self.alerting(alerting, rule, group: view)
            case .recording(let recording): kind == "alert" ? nil : self.recording(recording, rule, group: view)
            }
        }
        object.raw("rules", APIJSON.array(rules))
        object.raw("interval", goNumber(Double(view.definition.interval) / 1000))
        object.raw("limit", String(view.definition.limit))
        object.raw("evaluationTime", goNumber(seconds(view.lastDuration)))
        object.string("lastEvaluation", goTime(view.lastEvaluation))
        return object.json
    }

    private static func alerting(_ rule: AlertingRule, _ view: RuleView, group: RuleGroupView) -> String {
        var object = JSONObjectWriter()
        object.string("state", view.state.rawValue)
        object.string("name", rule.name)
        object.string("query", view.definition.expr.description)
        object.raw("duration", goNumber(Double(rule.holdDuration) / 1000))
        object.raw("keepFiringFor", goNumber(Double(rule.keepFiringFor) / 1000))
        object.labels("labels", rule.rawLabels)
        object.labels("annotations", rule.annotations.map { Label($0.name, $0.template.text) })
        object.raw("alerts", APIJSON.array(view.alerts.map(alert)))
        health(view, group: group, into: &object)
        object.string("type", "alerting")
        return object.json
    }

    private static func recording(_ rule: RecordingRule, _ view: RuleView, group: RuleGroupView) -> String {
        var object = JSONObjectWriter()
        object.string("name", rule.name)
        object.string("query", view.definition.expr.description)
        if !rule.labels.isEmpty { object.labels("labels", rule.labels) }
        health(view, group: group, into: &object)
        object.string("type", "recording")
        return object.json
    }

    private static func health(_ view: RuleView, group: RuleGroupView, into object: inout JSONObjectWriter) {
        object.string("health", group.lastEvaluation == nil ? "unknown" : view.lastError == nil ? "ok" : "err")
        if let error = view.lastError { object.string("lastError", error) }
        object.raw("evaluationTime", goNumber(seconds(view.lastDuration)))
        object.string("lastEvaluation", goTime(group.lastEvaluation))
    }

    private static func alert(_ alert: Alert) -> String {
        var object = JSONObjectWriter()
        object.labels("labels", alert.labels)
        object.labels("annotations", alert.annotations)
        object.string("state", alert.state.rawValue)
        object.string("activeAt", goTime(alert.activeAt))
        object.string("value", GoFloatFormat.shortestExponent(alert.value))
        return object.json
    }

    // MARK: - Go's encodings

    private static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) / 1e18
    }

    /// A float as Go's `encoding/json` writes it: the shortest digits, plain unless the magnitude is
    /// below 1e-6 or at least 1e21, where it takes an exponent (`1e-07`, as `strconv` then trims to `1e-7`).
    static func goNumber(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let magnitude = abs(value)
        if magnitude != 0 && (magnitude < 1e-6 || magnitude >= 1e21) {
            let text = GoFloatFormat.shortestExponent(value)
            // Go's encoder writes e-07 as e-7.
            return text.replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e+")
        }
        let (digits, point) = GoFloatFormat.shortestDigits(value)
        let text = String(decoding: digits, as: UTF8.self)
        let sign = value < 0 ? "-" : ""
        if digits == [UInt8(ascii: "0")] { return "0" }
        if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + text }
        if point >= digits.count { return sign + text + String(repeating: "0", count: point - digits.count) }
        let split = text.index(text.startIndex, offsetBy: point)
        return sign + text[..<split] + "." + text[split...]
    }

    /// Go's RFC 3339 with nanoseconds as `time.Time` marshals to JSON: the fraction's trailing
    /// zeros dropped; the zero time for nil.
    static func goTime(_ milliseconds: Int64?) -> String {
        guard let milliseconds else { return "0001-01-01T00:00:00Z" }
        let full = APITime.format(milliseconds)
        guard full.hasSuffix(".000Z") else {
            var trimmed = String(full.dropLast())
            while trimmed.hasSuffix("0") { trimmed.removeLast() }
            return trimmed + "Z"
        }
        return String(full.dropLast(5)) + "Z"
    }
}
