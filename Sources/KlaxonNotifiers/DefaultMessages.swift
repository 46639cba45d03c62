import KlaxonConfig
import KlaxonRouting

/// Klaxon's built-in messages, modelled on an incident playbook's initial alert, status update and
/// resolution notice: marker and title first, then what an on-call engineer needs to act.
package struct DefaultMessages: MessageRendering {
    /// Alerts of a group shown in full; the rest are counted in one closing line, so a rule over
    /// thousands of series sends one readable message, not hundreds of parts.
    package var detailedAlerts: Int

    package init(detailedAlerts: Int = 10) {
        self.detailedAlerts = max(1, detailedAlerts)
    }

    package func message(for notification: Notification, now: Int64) -> MessageText {
        var message = MessageText()
        let marker = notification.severity.marker
        switch notification.kind {
        case .alerts:
            message.append([
                .text(marker + " "),
                .bold("\(notification.severity.name) \(statusWords(notification)): \(title(notification))"),
            ])
        case .escalation(let step):
            let since = notification.firing.map(\.startsAt).min() ?? notification.createdAt
            let unacked = MessageFormat.duration(milliseconds: MessageFormat.elapsed(from: since, to: now))
            message.append([
                .text(marker + " "),
                .bold(
                    "\(notification.severity.name) escalation \(step): unacked for \(unacked): \(title(notification))"),
            ])
        case .rateLimitSummary(let summary):
            message.append([.text(summary.severity.marker + " "), .bold(summary.sentence)])
            message.append([
                .bold("Window: "),
                .text(
                    "\(MessageFormat.time(unixMilliseconds: summary.windowStart)) to "
                        + MessageFormat.time(unixMilliseconds: summary.windowEnd)),
            ])
            return message
        }
        let several = notification.alerts.count > 1
        for alert in notification.alerts.prefix(detailedAlerts) {
            if several {
                message.appendBlankLine()
                message.append([.bold(alert.alertName), .text(" (\(alert.status.rawValue))")])
            }
            appendDetails(of: alert, externalURL: notification.externalURL, now: now, to: &message)
        }
        appendRest(of: notification, to: &message)
        return message
    }

    /// "…and 9 990 more (9 990 firing): `klaxon alerts` lists them" when the group is longer than shown.
    private func appendRest(of notification: Notification, to message: inout MessageText) {
        let rest = notification.alerts.dropFirst(detailedAlerts)
        guard !rest.isEmpty else { return }
        let firing = rest.filter { $0.status == .firing }.count
        let counts = [
            firing > 0 ? "\(firing) firing" : nil, rest.count > firing ? "\(rest.count - firing) resolved" : nil,
        ]
        message.appendBlankLine()
        message.append([
            .bold("…and \(rest.count) more (\(counts.compactMap { $0 }.joined(separator: ", "))): "),
            .code("klaxon alerts"), .text(" lists them"),
        ])
    }

    /// "FIRING", "RESOLVED", or "FIRING 2, RESOLVED 1" for a mixed group.
    private func statusWords(_ notification: Notification) -> String {
        let firing = notification.firing.count
        let resolved = notification.resolved.count
        if resolved == 0 { return firing > 1 ? "FIRING \(firing)" : "FIRING" }
        if firing == 0 { return resolved > 1 ? "RESOLVED \(resolved)" : "RESOLVED" }
        return "FIRING \(firing), RESOLVED \(resolved)"
    }

    /// The `title` annotation or alert name shared by every alert, else "N alerts".
    private func title(_ notification: Notification) -> String {
        let titles = Set(notification.alerts.map { $0.annotation("title") ?? $0.alertName })
        if titles.count == 1, let only = titles.first { return only }
        return "\(notification.alerts.count) alerts"
    }

    private func appendDetails(of alert: AlertEvent, externalURL: String, now: Int64, to message: inout MessageText) {
        if let summary = alert.annotation("summary") { message.append([.bold("Summary: "), .text(summary)]) }
        if let description = alert.annotation("description") {
            message.append([.bold("Description: "), .text(description)])
        }
        message.append([.bold("Value: "), .text(MessageFormat.value(alert.value))])
        let labels = alert.labels.pairs.filter { $0.name != "alertname" }
        if !labels.isEmpty {
            var spans: [MessageText.Span] = [.bold("Labels: ")]
            for (index, label) in labels.enumerated() {
                if index > 0 { spans.append(.text(", ")) }
                spans.append(.code("\(label.name)=\(label.value)"))
            }
            message.append(spans)
        }
        let since = MessageFormat.time(unixMilliseconds: alert.startsAt)
        if alert.status == .resolved, let resolvedAt = alert.resolvedAt {
            let lastedFor = MessageFormat.elapsed(from: alert.startsAt, to: resolvedAt)
            let lasted = MessageFormat.duration(milliseconds: lastedFor)
            message.append([.bold("Since: "), .text(since)])
            message.append([
                .bold("Resolved: "), .text("\(MessageFormat.time(unixMilliseconds: resolvedAt)) (lasted \(lasted))"),
            ])
        } else {
            let firingFor = MessageFormat.duration(milliseconds: MessageFormat.elapsed(from: alert.startsAt, to: now))
            message.append([.bold("Since: "), .text("\(since) (for \(firingFor))")])
        }
        if let runbook = alert.annotation("runbook_url") ?? alert.annotation("runbook") {
            message.append([.bold("Runbook: "), .link(text: runbook, url: runbook)])
        }
        if alert.status == .firing {
            let fingerprint = alert.fingerprint.description
            let base = externalURL.hasSuffix("/") ? String(externalURL.dropLast()) : externalURL
            message.append([
                .bold("Ack: "), .code("klaxon ack \(fingerprint)"), .text(" or "),
                .code("POST \(base)/api/v1/alerts/\(fingerprint)/ack"),
            ])
        }
    }
}
