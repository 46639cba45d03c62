import KlaxonMetrics
import KlaxonPromQL
import KlaxonRouting

/// The v1 alerting API's JSON shapes: camelCase keys, times RFC 3339 with milliseconds,
/// fingerprints as 16 hex digits, sample values as strings (as Prometheus writes them).
enum AlertingJSON {
    /// An active alert with its mute state (`GET /api/v1/alerts`).
    static func alert(_ view: AlertStatusView) -> String {
        var object = JSONObjectWriter()
        object.string("fingerprint", view.alert.fingerprint.description)
        object.labels("labels", view.alert.labels)
        object.labels("annotations", view.alert.annotations)
        object.string("state", view.state)
        object.string("severity", view.alert.severity.name)
        object.time("activeAt", view.alert.activeAt)
        object.time("startsAt", view.alert.startsAt)
        object.string("value", QueryResultJSON.formatValue(view.alert.value))
        object.string("generatorURL", view.alert.generatorURL)
        object.raw("ack", view.ack.map(ack) ?? "null")
        object.strings("silencedBy", view.silencedBy)
        object.strings("inhibitedBy", view.inhibitedBy.map(\.description))
        object.strings("receivers", view.receivers)
        return object.json
    }

    static func ack(_ ack: Ack) -> String {
        var object = JSONObjectWriter()
        object.string("fingerprint", ack.fingerprint.description)
        object.string("by", ack.by)
        object.string("comment", ack.comment)
        object.time("at", ack.at)
        object.time("expiresAt", ack.expiresAt)
        return object.json
    }

    /// A silence; `endsAt` is null for one that lasts until its alert resolves.
    static func silence(_ silence: Silence, now: Int64) -> String {
        var object = JSONObjectWriter()
        object.string("id", silence.id)
        object.strings("matchers", silence.matchers.map(\.text))
        object.string("state", silence.state(at: now).rawValue)
        object.string("createdBy", silence.createdBy)
        object.string("comment", silence.comment)
        object.time("startsAt", silence.startsAt)
        object.time("endsAt", silence.endsAt == Int64.max ? nil : silence.endsAt)
        object.string("untilResolved", silence.untilResolved?.description)
        object.time("updatedAt", silence.updatedAt)
        return object.json
    }

    /// One audit record (`GET /api/v1/alerts/history`).
    static func record(_ record: AuditRecord) -> String {
        var object = JSONObjectWriter()
        object.number("id", record.id)
        object.time("time", record.time)
        object.string("kind", record.kind.rawValue)
        object.string("instance", record.instance)
        object.string("fingerprint", record.fingerprint?.description)
        object.string("alertname", record.alertName)
        object.string("severity", record.severity?.name)
        object.string("source", record.source)
        object.string("ruleId", record.ruleID)
        object.string("receiver", record.receiver)
        object.string("stage", record.stage?.rawValue)
        object.number("attempt", record.attempt.map(Int64.init))
        object.number("latencyMilliseconds", record.latencyMilliseconds)
        object.string("errorClass", record.errorClass?.rawValue)
        object.string("detail", record.detail)
        object.labels("labels", record.labels)
        return object.json
    }

    /// One receiver's delivery health (`GET /api/v1/receivers`).
    static func receiver(_ status: ReceiverStatus) -> String {
        var object = JSONObjectWriter()
        object.string("name", status.name)
        object.string("kind", status.kind)
        object.time("lastSuccessAt", status.lastSuccessAt)
        object.string("lastError", status.lastError)
        object.time("lastErrorAt", status.lastErrorAt)
        object.number("outboxDepth", Int64(status.outboxDepth))
        object.bool("failing", status.failing)
        return object.json
    }

    /// The alert store's health (`GET /api/v1/receivers`).
    static func store(_ health: StoreHealth) -> String {
        var object = JSONObjectWriter()
        object.string("kind", health.kind)
        object.bool("up", health.up)
        object.string("lastError", health.lastError)
        object.number("spooledWrites", Int64(health.spooledWrites))
        return object.json
    }
}
