import KlaxonMetrics
import KlaxonRouting

/// Alertmanager's webhook payload, version 4, exactly as Alertmanager's `webhook_config` posts it.
///
/// Field order is Go's struct order (`template.Data` first, then `version`, `groupKey`,
/// `truncatedAlerts`), maps have sorted keys, `<>&` are `\u003c`-escaped, and a trailing newline
/// ends the body (`json.Encoder.Encode`). A firing alert's `endsAt` is Go's zero time.
package enum WebhookPayload {
    /// The JSON body for `notification` sent to the receiver named `receiver`.
    ///
    /// `maxAlerts` (0 for no limit) keeps the first alerts and counts the rest in `truncatedAlerts`.
    package static func json(_ notification: Notification, maxAlerts: Int = 0) -> String {
        var alerts = notification.alerts
        var truncated = 0
        if maxAlerts > 0, alerts.count > maxAlerts {
            truncated = alerts.count - maxAlerts
            alerts = Array(alerts.prefix(maxAlerts))
        }
        var out = "{"
        out += "\"receiver\":" + GoJSON.quoted(notification.receiver)
        out += ",\"status\":" + GoJSON.quoted(notification.status.rawValue)
        out += ",\"alerts\":[" + alerts.map { alert($0) }.joined(separator: ",") + "]"
        out += ",\"groupLabels\":" + GoJSON.object(notification.groupLabels.pairs)
        out += ",\"commonLabels\":" + GoJSON.object(notification.commonLabels.pairs)
        out += ",\"commonAnnotations\":" + GoJSON.object(notification.commonAnnotations)
        out += ",\"externalURL\":" + GoJSON.quoted(notification.externalURL)
        out += ",\"version\":\"4\""
        out += ",\"groupKey\":" + GoJSON.quoted(notification.groupKey)
        out += ",\"truncatedAlerts\":\(truncated)"
        return out + "}\n"
    }

    private static func alert(_ alert: AlertEvent) -> String {
        var out = "{"
        out += "\"status\":" + GoJSON.quoted(alert.status.rawValue)
        out += ",\"labels\":" + GoJSON.object(alert.labels.pairs)
        out += ",\"annotations\":" + GoJSON.object(alert.annotations)
        out += ",\"startsAt\":" + GoJSON.quoted(GoJSON.time(unixMilliseconds: alert.startsAt))
        out += ",\"endsAt\":" + GoJSON.quoted(alert.endsAt.map { GoJSON.time(unixMilliseconds: $0) } ?? GoJSON.zeroTime)
        out += ",\"generatorURL\":" + GoJSON.quoted(alert.generatorURL)
        out += ",\"fingerprint\":" + GoJSON.quoted(alert.fingerprint.description)
        return out + "}"
    }
}
