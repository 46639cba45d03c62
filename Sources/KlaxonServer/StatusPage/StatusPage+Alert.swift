import KlaxonHTTP
import KlaxonMetrics
import KlaxonNotifiers
import KlaxonRouting

// MARK: - GET /ui/alerts/{fingerprint}

extension StatusPage {
    /// One firing alert: its labels, annotations and chart, and the forms that ack it, take the
    /// ack back, or silence it. No auto-reload here: it would wipe what someone is typing.
    func renderAlert(_ request: HTTPRequest) -> HTTPResponse {
        let text = request.path.dropFirst(StatusPageForms.alertPrefix.count)
        guard let fingerprint = Fingerprint(hex: text) else {
            return StatusPageHTML.problem(
                "\"\(text.prefix(40))\" is not an alert fingerprint (16 hex digits)", status: .notFound)
        }
        let now = clock.nowMilliseconds()
        let views = AlertStatusView.current(engine, now: now)
        guard let view = views.first(where: { $0.alert.fingerprint == fingerprint }) else {
            return StatusPageHTML.problem(
                "no alert with fingerprint \(fingerprint) is firing; it may have resolved", status: .notFound)
        }
        let alert = view.alert
        var html = StatusPageHTML.head(title: "Klaxon — \(alert.alertName)", refresh: false)
        html += header(now: now, note: "<a href=\"/\">all alerts</a>")
        html += "<section id=\"alert\"><h2 class=\"\(alert.severity.name)\">\(alert.severity.marker) "
        html += "\(HTMLText.escape(alert.alertName)) "
        html += "<span class=\"state state-\(view.state)\">\(view.state)</span></h2>"
        html += "<p>\(HTMLText.escape(alert.annotation("summary") ?? ""))</p>"
        if let description = alert.annotation("description") {
            html += "<p class=\"muted\">\(HTMLText.escape(description))</p>"
        }
        html += "<div class=\"chart-large\">"
        html += charts.charts(for: [alert], now: now)[fingerprint] ?? AlertCharts.noRule
        html += "</div><table class=\"details\">"
        let since = MessageFormat.duration(milliseconds: MessageFormat.elapsed(from: alert.startsAt, to: now))
        html += row("Firing since", "\(MessageFormat.time(unixMilliseconds: alert.startsAt)) (\(since))")
        html += row("Value", MessageFormat.value(alert.value))
        html += row("Fingerprint", fingerprint.description)
        if let ack = view.ack {
            let until = ack.expiresAt.map { "until " + MessageFormat.time(unixMilliseconds: $0) } ?? "until it resolves"
            html += row("Acked", "by \(ack.by) \(until)" + (ack.comment.isEmpty ? "" : ": \(ack.comment)"))
        }
        if !view.silencedBy.isEmpty { html += row("Silenced by", view.silencedBy.joined(separator: ", ")) }
        if !view.inhibitedBy.isEmpty {
            html += row("Inhibited by", view.inhibitedBy.map(\.description).joined(separator: ", "))
        }
        html += row("Receivers", view.receivers.isEmpty ? "audit trail only" : view.receivers.joined(separator: ", "))
        for label in alert.labels { html += row(label.name, label.value, code: true) }
        for annotation in alert.annotations where annotation.name != "summary" && annotation.name != "description" {
            html += row(annotation.name, annotation.value)
        }
        html += "</table></section>"
        html += view.ack == nil ? ackForm(fingerprint) : unackForm(fingerprint)
        html += silenceForm(alert)
        html += "</body></html>\n"
        return StatusPageHTML.response(html)
    }

    private func row(_ name: String, _ value: String, code: Bool = false) -> String {
        let shown = code ? "<code>\(HTMLText.escape(value))</code>" : HTMLText.escape(value)
        return "<tr><th>\(HTMLText.escape(name))</th><td>\(shown)</td></tr>"
    }

    /// The token field, when `api.token` is set: typed by the operator, never filled in by Klaxon.
    private var tokenField: String {
        guard tokenRequired else { return "" }
        return "<label>API token<input type=\"password\" name=\"token\" required autocomplete=\"current-password\">"
            + "</label>"
    }

    private func ackForm(_ fingerprint: Fingerprint) -> String {
        let action = StatusPageForms.alertPrefix + fingerprint.description + "/ack"
        return """
            <section id="ack"><h2>Ack</h2><p class="muted">An ack stops the repeats and the escalation; \
            the alert still shows here.</p>
            <form class="action" method="post" action="\(action)">\
            <label>By<input name="by" required maxlength="256" placeholder="alice"></label>\
            <label>Expiry<input name="expiry" size="6" placeholder="30m"><small>empty: until it resolves</small></label>\
            <label>Comment<input name="comment" maxlength="4096" size="30"></label>\(tokenField)\
            <button type="submit">Ack</button></form></section>
            """
    }

    private func unackForm(_ fingerprint: Fingerprint) -> String {
        let action = StatusPageForms.alertPrefix + fingerprint.description + "/unack"
        return """
            <section id="unack"><h2>Take the ack back</h2><p class="muted">The alert pages again.</p>
            <form class="action" method="post" action="\(action)">\
            <label>By<input name="by" required maxlength="256" placeholder="alice"></label>\(tokenField)\
            <button type="submit">Take back</button></form></section>
            """
    }

    /// Matchers prefilled with the alert's labels (edit them to silence more or less).
    private func silenceForm(_ alert: AlertEvent) -> String {
        let matchers = alert.labels.compactMap { label in
            (try? LabelMatcher(label.name, .equal, label.value)).map(\.description)
        }
        return """
            <section id="silence"><h2>Silence</h2><p class="muted">A silence mutes every alert its matchers \
            match, until it ends.</p>
            <form class="action silence" method="post" action="\(StatusPageForms.silencesPath)">\
            <label>Matchers, one a line<textarea name="matchers" rows="\(min(max(matchers.count, 2), 8))" \
            cols="60" required>\(HTMLText.escape(matchers.joined(separator: "\n")))</textarea></label>\
            <label>Duration<input name="duration" size="6" value="2h" required></label>\
            <label>By<input name="createdBy" required maxlength="256" placeholder="alice"></label>\
            <label>Comment<input name="comment" maxlength="4096" size="30"></label>\(tokenField)\
            <button type="submit">Silence</button></form></section>
            """
    }
}
