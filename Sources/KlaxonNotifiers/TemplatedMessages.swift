import KlaxonMetrics
import KlaxonRouting
import KlaxonTemplate

/// A receiver's own message: a Go template (`message:` in its configuration) over the data
/// Alertmanager gives its notification templates, plus Klaxon's severity and marker.
///
/// The output is plain text, one line per line; each channel escapes it (Telegram HTML, Slack
/// mrkdwn), so no label value can break a message. A template that fails while expanding never
/// loses the notification: the default message goes instead, with a line naming the failure.
package struct TemplatedMessages: MessageRendering {
    private let template: Template
    private let fallback = DefaultMessages()

    /// Parses `text`; an error names the line and column.
    package init(_ text: String, receiver: String) throws(TemplateError) {
        template = try Template(text, name: "receivers.\(receiver).message", variables: [])
    }

    package func message(for notification: Notification, now: Int64) -> MessageText {
        let output: String
        do {
            output = try template.expand(
                TemplateData(dot: Self.data(notification), externalURL: notification.externalURL))
        } catch {
            var message = fallback.message(for: notification, now: now)
            message.appendBlankLine()
            message.append([.text("(the receiver's message template failed: \(error.description))")])
            return message
        }
        var lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last?.allSatisfy(\.isWhitespace) == true { lines.removeLast() }
        return MessageText(lines: lines.map { $0.isEmpty ? [] : [.text($0)] })
    }

    /// Alertmanager's template data (`Receiver`, `Status`, `Alerts` with `Firing`/`Resolved`,
    /// `GroupLabels`, `CommonLabels`, `CommonAnnotations`, `ExternalURL`, `GroupKey`) and
    /// Klaxon's `Severity`, `Marker`, `Kind`, `EscalationStep` and `Summary`.
    static func data(_ notification: Notification) -> TemplateValue {
        let alerts = notification.alerts.map(alertValue)
        let firing = notification.firing.map(alertValue)
        let resolved = notification.resolved.map(alertValue)
        let list = TemplateList(
            alerts, goType: "template.Alerts",
            methods: [
                TemplateField(name: "Firing", value: .list(TemplateList(firing, goType: "[]template.Alert"))),
                TemplateField(name: "Resolved", value: .list(TemplateList(resolved, goType: "[]template.Alert"))),
            ])
        let (kind, step, summary): (String, Int64, String) =
            switch notification.kind {
            case .alerts: ("alerts", 0, "")
            case .escalation(let step): ("escalation", Int64(step), "")
            case .rateLimitSummary(let held): ("rate_limit_summary", 0, held.sentence)
            }
        return .record([
            TemplateField(name: "Receiver", value: .string(notification.receiver)),
            TemplateField(name: "Status", value: .string(notification.status.rawValue)),
            TemplateField(name: "Alerts", value: .list(list)),
            TemplateField(name: "GroupLabels", value: .map(dictionary(notification.groupLabels))),
            TemplateField(name: "CommonLabels", value: .map(dictionary(notification.commonLabels))),
            TemplateField(name: "CommonAnnotations", value: .map(dictionary(notification.commonAnnotations))),
            TemplateField(name: "ExternalURL", value: .string(notification.externalURL)),
            TemplateField(name: "GroupKey", value: .string(notification.groupKey)),
            TemplateField(name: "Severity", value: .string(notification.severity.name)),
            TemplateField(name: "Marker", value: .string(notification.severity.marker)),
            TemplateField(name: "Kind", value: .string(kind)),
            TemplateField(name: "EscalationStep", value: .int(step)),
            TemplateField(name: "Summary", value: .string(summary)),
        ])
    }

    private static func alertValue(_ alert: AlertEvent) -> TemplateValue {
        .record([
            TemplateField(name: "Status", value: .string(alert.status.rawValue)),
            TemplateField(name: "Labels", value: .map(dictionary(alert.labels))),
            TemplateField(name: "Annotations", value: .map(dictionary(alert.annotations))),
            TemplateField(name: "StartsAt", value: .string(goTime(alert.startsAt))),
            TemplateField(name: "EndsAt", value: .string(alert.endsAt.map(goTime) ?? "0001-01-01 00:00:00 +0000 UTC")),
            TemplateField(name: "GeneratorURL", value: .string(alert.generatorURL)),
            TemplateField(name: "Fingerprint", value: .string(alert.fingerprint.description)),
            TemplateField(name: "Value", value: .float(alert.value)),
        ])
    }

    private static func dictionary(_ labels: some Sequence<Label>) -> [String: String] {
        Dictionary(labels.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// How Go prints a `time.Time` in UTC: `2026-01-01 00:00:00 +0000 UTC`.
    private static func goTime(_ unixMilliseconds: Int64) -> String {
        GoTime.format(unixMilliseconds: MessageFormat.printable(unixMilliseconds))
    }
}
