import KlaxonConfig
import KlaxonHTTP
import KlaxonMetrics
import KlaxonNotifiers
import KlaxonRouting
import KlaxonRules
import KlaxonRuntime

/// `GET /`: the status page, HTML rendered by Klaxon itself with no script and no outside asset —
/// active alerts by severity with a chart of each one's expression over the last 30 minutes,
/// receivers, rules, and the audit trail with filters and paging. It reloads itself every 15 s.
/// `GET /ui/alerts/{fingerprint}` is one alert's page with the ack and silence forms
/// (`StatusPageForms` takes their posts). Everything shown is escaped, and the
/// Content-Security-Policy allows only the page's own stylesheet and forms.
struct StatusPage: Sendable {
    static let path = "/"

    let engine: RoutingEngine
    let store: any AlertStore
    let receivers: @Sendable () -> [ReceiverStatus]
    let rules: RuleManager
    let charts: AlertCharts
    /// Whether the forms ask for the token (`api.token` set).
    let tokenRequired: Bool
    let environment: DeploymentEnvironment
    let instance: String
    let clock: any WallClock

    func register(in router: inout HTTPRouter) {
        // The history comes from the database and the charts from range queries: a worker thread.
        router.add("GET", Self.path, execution: .worker) { request in render(request) }
        router.addPrefix("GET", StatusPageForms.alertPrefix, execution: .worker) { request in renderAlert(request) }
        router.add("GET", StatusPageStyle.path) { _ in
            var response = HTTPResponse(status: .ok, body: Array(StatusPageStyle.css.utf8))
            response.headers.set("Content-Type", "text/css; charset=utf-8")
            response.headers.set("Cache-Control", "max-age=3600")
            return response
        }
    }

    func render(_ request: HTTPRequest) -> HTTPResponse {
        let now = clock.nowMilliseconds()
        let alerts = AlertStatusView.current(engine, now: now)
        var html = StatusPageHTML.head(title: "Klaxon — \(alerts.count) active", refresh: true)
        html += header(now: now, note: "reloads every 15 s")
        html += alertsSection(alerts, charts: charts.charts(for: alerts.map(\.alert), now: now), now: now)
        html += receiversSection()
        html += historySection(request)
        html += rulesSection()
        html += "</body></html>\n"
        return StatusPageHTML.response(html)
    }

    /// The page's top line: environment, instance and time, then `note`, which is markup of the
    /// page's own (never a value from outside).
    func header(now: Int64, note: String) -> String {
        """
        <header><h1><a href="/">Klaxon</a></h1><span class="muted">\(HTMLText.escape(environment.rawValue)) · \
        \(HTMLText.escape(instance)) · \(MessageFormat.time(unixMilliseconds: now)) · \(note)</span></header>
        """
    }

    /// One table, so the columns line up across severities, with a heading row per severity.
    private func alertsSection(_ alerts: [AlertStatusView], charts: [Fingerprint: String], now: Int64) -> String {
        var html = "<section id=\"alerts\"><h2>Active alerts (\(alerts.count))</h2>"
        guard !alerts.isEmpty else { return html + "<p class=\"muted\">Nothing is firing.</p></section>" }
        html += "<table class=\"alerts\"><tr><th>Alert</th><th>State</th><th>Since</th><th>Value</th>"
        html += "<th>Last 30 min</th><th>Summary</th><th>Labels</th><th>Runbook</th><th></th></tr>"
        for severity in Severity.allCases {
            let group = alerts.filter { $0.alert.severity == severity }
            guard !group.isEmpty else { continue }
            html += "<tr class=\"severity\"><th colspan=\"9\" class=\"\(severity.name)\">"
            html += "\(severity.marker) \(severity.name) (\(group.count))</th></tr>"
            for view in group {
                let alert = view.alert
                let since = MessageFormat.duration(milliseconds: MessageFormat.elapsed(from: alert.startsAt, to: now))
                let labels = alert.labels.filter { $0.name != "alertname" }.map { "\($0.name)=\($0.value)" }
                let runbook = alert.annotation("runbook_url") ?? alert.annotation("runbook")
                let page = StatusPageForms.alertPrefix + alert.fingerprint.description
                let value = MessageFormat.value(alert.value)
                html += "<tr id=\"alert-\(alert.fingerprint)\"><td><a href=\"\(page)\">"
                html += "\(HTMLText.escape(alert.alertName))</a></td>"
                html += "<td class=\"state state-\(view.state)\">\(view.state)"
                if let ack = view.ack { html += " by \(HTMLText.escape(ack.by))" }
                html += "</td><td class=\"since\">\(since)</td>"
                html += "<td title=\"\(HTMLText.escape(value))\">\(HTMLText.escape(Self.short(alert.value)))</td>"
                html += "<td>\(charts[alert.fingerprint] ?? AlertCharts.noRule)</td>"
                html += "<td>\(HTMLText.escape(alert.annotation("summary") ?? ""))</td>"
                html += "<td><code>\(HTMLText.escape(labels.joined(separator: ", ")))</code></td>"
                html += "<td>\(runbook.map { HTMLText.link($0, text: "runbook") } ?? "")</td>"
                html += "<td><a class=\"action\" href=\"\(page)\">ack / silence</a></td></tr>"
            }
        }
        return html + "</table></section>"
    }

    /// A value for the table: four significant digits below 1000, whole numbers above (the
    /// cell's tooltip has every digit).
    static func short(_ value: Double) -> String {
        guard value.isFinite, value != 0 else { return MessageFormat.value(value) }
        let magnitude = abs(value)
        guard magnitude < 1000 else { return MessageFormat.value(value.rounded()) }
        guard magnitude >= 1e-3 else { return MessageFormat.value(value) }
        var scale = 1.0
        while magnitude * scale < 1000 { scale *= 10 }
        return MessageFormat.value((value * scale).rounded() / scale)
    }

    private func receiversSection() -> String {
        let receivers = receivers()
        let waiting = receivers.reduce(0) { $0 &+ $1.outboxDepth }
        var html = "<section id=\"receivers\"><h2>Receivers <span class=\"muted\">(outbox: \(waiting) waiting)</span>"
        html += "</h2><table><tr><th>Receiver</th><th>Kind</th><th>Last success</th><th>Last error</th>"
        html += "<th>Outbox</th></tr>"
        for receiver in receivers {
            let success = receiver.lastSuccessAt.map { MessageFormat.time(unixMilliseconds: $0) } ?? "never"
            let error = receiver.lastError.map { text in
                let at = receiver.lastErrorAt.map { MessageFormat.time(unixMilliseconds: $0) + ": " } ?? ""
                return HTMLText.escape(at + text)
            }
            html += "<tr><td\(receiver.failing ? " class=\"failing\"" : "")>\(HTMLText.escape(receiver.name))"
            html += receiver.failing ? " (failing)" : ""
            html += "</td><td>\(HTMLText.escape(receiver.kind))</td><td>\(success)</td>"
            html += "<td>\(error ?? "—")</td><td>\(receiver.outboxDepth)</td></tr>"
        }
        return html + "</table></section>"
    }

    /// Every loaded rule under its group: kind, state (its alerts firing and pending), the group's
    /// last evaluation, and why the rule failed there, if it did.
    private func rulesSection() -> String {
        let groups = rules.groups
        let statuses = Dictionary(rules.groupStatuses.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        var states: [String: [AlertState: Int]] = [:]
        for entry in rules.alerts {
            states[entry.group.description + "\u{0}" + entry.rule, default: [:]][entry.alert.state, default: 0] += 1
        }
        let count = groups.reduce(0) { $0 + $1.rules.count }
        var html = "<section id=\"rules\"><h2>Rules (\(count) in \(groups.count) groups)</h2>"
        guard !groups.isEmpty else { return html + "<p class=\"muted\">No rule files are loaded.</p></section>" }
        html += "<table class=\"rules\"><tr><th>Rule</th><th>Kind</th><th>State</th><th>Last evaluation</th>"
        html += "<th>Problem</th></tr>"
        for group in groups {
            let status = statuses[group.key]
            let last = status?.lastEvaluation.map { MessageFormat.time(unixMilliseconds: $0) } ?? "not yet"
            html += "<tr class=\"group\"><th colspan=\"5\">\(HTMLText.escape(group.name)) "
            html += "<span class=\"muted\">\(HTMLText.escape(group.file)) · every "
            html += "\(MessageFormat.duration(milliseconds: group.interval))</span></th></tr>"
            for rule in group.rules {
                let failures = (status?.lastFailures ?? []).filter { $0.rule == rule.name }.map(\.message)
                let state: String
                switch rule.kind {
                case .recording:
                    state = failures.isEmpty ? "ok" : "failing"
                case .alerting(let alerting):
                    let counts = states[group.key.description + "\u{0}" + alerting.name] ?? [:]
                    let parts = [AlertState.firing, .pending].compactMap { state in
                        counts[state].map { "\(state.rawValue) (\($0))" }
                    }
                    state = parts.isEmpty ? "inactive" : parts.joined(separator: ", ")
                }
                let kind = if case .alerting = rule.kind { "alert" } else { "record" }
                let stateClass = state.hasPrefix("firing") || state == "failing" ? " class=\"failing\"" : ""
                html += "<tr><td title=\"\(HTMLText.escape(rule.expression))\">\(HTMLText.escape(rule.name))</td>"
                html += "<td>\(kind)</td><td\(stateClass)>\(state)</td><td>\(last)</td>"
                html += "<td>\(failures.isEmpty ? "" : HTMLText.escape(failures.joined(separator: "; ")))</td></tr>"
            }
        }
        return html + "</table></section>"
    }

    /// The audit trail, newest first, 50 a page; the filters are the history API's parameters.
    private func historySection(_ request: HTTPRequest) -> String {
        var html = "<section id=\"history\"><h2>History</h2>"
        html += "<form class=\"filters\" method=\"get\" action=\"/#history\">"
        html += "<label>severity<select name=\"severity\"><option value=\"\">any</option>"
        for severity in Severity.allCases {
            let chosen = request.queryValue("severity") == severity.name ? " selected" : ""
            html += "<option\(chosen)>\(severity.name)</option>"
        }
        html += "</select></label>"
        let filters = [
            ("rule_id", "rule_id"), ("source", "source"), ("alertname", "alert"), ("since", "since"),
            ("until", "until"),
        ]
        for (name, label) in filters {
            let value = HTMLText.escape(request.queryValue(name) ?? "")
            // The history API reads times as RFC 3339 or Unix seconds.
            let hint = name == "since" || name == "until" ? " placeholder=\"2026-01-01T09:00:00Z\"" : ""
            html += "<label>\(label)<input name=\"\(name)\" value=\"\(value)\" size=\"16\"\(hint)></label>"
        }
        html += "<button type=\"submit\">Filter</button></form>"
        var query: HistoryQuery
        do throws(APIError) {
            query = try HistoryAPI.query(request)
        } catch {
            return html + "<p class=\"failing\">\(HTMLText.escape(error.message))</p></section>"
        }
        query.limit = 50
        let page: HistoryPage
        do throws(StoreError) {
            page = try store.history(query)
        } catch {
            return html
                + "<p class=\"failing\">The history cannot be read: \(HTMLText.escape(error.message))</p></section>"
        }
        html += "<table><tr><th>Time</th><th>Event</th><th>Alert</th><th>Severity</th><th>Source</th>"
        html += "<th>Receiver</th><th>Detail</th></tr>"
        for record in page.records {
            let kind = record.stage.map { "\(record.kind.rawValue) (\($0.rawValue))" } ?? record.kind.rawValue
            let detail = [record.errorClass?.rawValue, record.detail.isEmpty ? nil : record.detail].compactMap { $0 }
            html += "<tr><td class=\"time\">\(MessageFormat.time(unixMilliseconds: record.time))</td>"
            html += "<td>\(HTMLText.escape(kind))</td>"
            html += "<td>\(HTMLText.escape(record.alertName))</td>"
            html += "<td class=\"\(record.severity?.name ?? "")\">\(record.severity?.name ?? "")</td>"
            html += "<td>\(HTMLText.escape(record.source))</td><td>\(HTMLText.escape(record.receiver))</td>"
            html += "<td>\(HTMLText.escape(detail.joined(separator: ": ")))</td></tr>"
        }
        html += "</table>"
        if let cursor = page.nextCursor {
            let names = ["severity", "rule_id", "source", "alertname", "since", "until"]
            var parameters = names.compactMap { name in
                request.queryValue(name).flatMap { $0.isEmpty ? nil : "\(name)=\(Self.percentEncoded($0))" }
            }
            parameters.append("cursor=\(cursor)")
            html += "<p><a href=\"/?\(HTMLText.escape(parameters.joined(separator: "&")))#history\">Older →</a></p>"
        }
        return html + "</section>"
    }

    /// A query parameter value as it goes into a URL.
    private static func percentEncoded(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            let unreserved =
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            encoded +=
                unreserved ? String(UnicodeScalar(byte)) : "%" + String(byte, radix: 16, uppercase: true).leftPadded
        }
        return encoded
    }
}

extension String {
    /// Two hex digits.
    fileprivate var leftPadded: String { count == 1 ? "0" + self : self }
}
