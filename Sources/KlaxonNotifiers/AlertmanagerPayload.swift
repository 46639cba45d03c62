import KlaxonRouting

/// The body of `POST /api/v2/alerts`: a JSON array of postable alerts, as Prometheus sends them.
///
/// A firing alert's `endsAt` is `now + validFor` (Prometheus sends `ValidUntil`, four resend
/// intervals ahead, and renews it on every resend), so Alertmanager resolves the alert by itself
/// if Klaxon stops sending; a resolved alert's `endsAt` is when it resolved.
package enum AlertmanagerPayload {
    /// The JSON array for `alerts` sent at `now` (Unix ms).
    package static func json(_ alerts: [AlertEvent], now: Int64, validForMilliseconds: Int64) -> String {
        let items = alerts.map { alert in
            let endsAt = alert.endsAt ?? now.addingReportingOverflow(validForMilliseconds).partialValue
            var out = "{"
            out += "\"labels\":" + GoJSON.object(alert.labels.pairs)
            out += ",\"annotations\":" + GoJSON.object(alert.annotations)
            out += ",\"startsAt\":" + GoJSON.quoted(GoJSON.timeMillis(unixMilliseconds: alert.startsAt))
            out += ",\"endsAt\":" + GoJSON.quoted(GoJSON.timeMillis(unixMilliseconds: endsAt))
            out += ",\"generatorURL\":" + GoJSON.quoted(alert.generatorURL)
            return out + "}"
        }
        return "[" + items.joined(separator: ",") + "]"
    }
}
