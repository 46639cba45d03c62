import KlaxonMetrics
import KlaxonRouting
import KlaxonRuntime

/// Alertmanager API v2's shapes (openapi.yaml: gettableAlert, gettableSilence, alertmanagerStatus),
/// with its field names, so amtool and Grafana read Klaxon as an Alertmanager.
enum AlertmanagerV2JSON {
    /// A gettableAlert. Klaxon holds no end time for a firing alert, so `endsAt` is Go's zero time;
    /// `updatedAt` is when it fired. An ack alone does not suppress it here (Alertmanager has no acks).
    static func alert(_ view: AlertStatusView) -> String {
        var object = JSONObjectWriter()
        object.labels("annotations", view.alert.annotations)
        object.time("endsAt", view.alert.endsAt ?? APITime.earliest)
        object.string("fingerprint", view.alert.fingerprint.description)
        object.raw("receivers", APIJSON.array(view.receivers.map(receiver)))
        object.time("startsAt", view.alert.startsAt)
        var status = JSONObjectWriter()
        status.strings("inhibitedBy", view.inhibitedBy.map(\.description))
        status.strings("silencedBy", view.silencedBy)
        status.string("state", view.silencedBy.isEmpty && view.inhibitedBy.isEmpty ? "active" : "suppressed")
        object.raw("status", status.json)
        object.time("updatedAt", view.alert.startsAt)
        if !view.alert.generatorURL.isEmpty { object.string("generatorURL", view.alert.generatorURL) }
        object.labels("labels", view.alert.labels)
        return object.json
    }

    /// `{"name": …}`.
    static func receiver(_ name: String) -> String {
        var object = JSONObjectWriter()
        object.string("name", name)
        return object.json
    }

    /// A gettableSilence; a silence until an alert resolves ends 9999-12-31 here.
    static func silence(_ silence: Silence, now: Int64) -> String {
        var object = JSONObjectWriter()
        object.string("id", silence.id)
        var status = JSONObjectWriter()
        status.string("state", silence.state(at: now).rawValue)
        object.raw("status", status.json)
        object.time("updatedAt", silence.updatedAt)
        object.string("comment", silence.comment)
        object.string("createdBy", silence.createdBy)
        object.time("endsAt", silence.endsAt)
        object.raw("matchers", APIJSON.array(silence.matchers.map(matcher)))
        object.time("startsAt", silence.startsAt)
        return object.json
    }

    static func matcher(_ matcher: LabelMatcher) -> String {
        var object = JSONObjectWriter()
        object.bool("isEqual", matcher.type == .equal || matcher.type == .regexMatch)
        object.bool("isRegex", matcher.type == .regexMatch || matcher.type == .regexNoMatch)
        object.string("name", matcher.name)
        object.string("value", matcher.value)
        return object.json
    }

    /// An alertmanagerStatus: no cluster, Klaxon's version, and as `config.original` a valid
    /// Alertmanager configuration naming the receivers (clients such as Grafana parse it as YAML).
    static func status(version: String, startedAt: Int64, receivers: [String]) -> String {
        var cluster = JSONObjectWriter()
        cluster.string("name", "")
        cluster.raw("peers", "[]")
        cluster.string("status", "disabled")
        var versionInfo = JSONObjectWriter()
        versionInfo.string("branch", "")
        versionInfo.string("buildDate", "")
        versionInfo.string("buildUser", "")
        versionInfo.string("goVersion", "")
        versionInfo.string("revision", "")
        versionInfo.string("version", version)
        var config = JSONObjectWriter()
        config.string("original", alertmanagerConfig(receivers: receivers))
        var object = JSONObjectWriter()
        object.raw("cluster", cluster.json)
        object.raw("config", config.json)
        object.time("uptime", startedAt)
        object.raw("versionInfo", versionInfo.json)
        return object.json
    }

    /// `route` to the first receiver and the receivers by name: what Klaxon can tell in
    /// Alertmanager's terms (its routing lives in klaxon.yml).
    static func alertmanagerConfig(receivers: [String]) -> String {
        var text = "# Klaxon routes alerts by klaxon.yml (routing:); this names its receivers only.\n"
        text += "route:\n  receiver: \(JSONString.quoted(receivers.first ?? "log"))\n"
        text += "receivers:\n"
        for name in receivers { text += "  - name: \(JSONString.quoted(name))\n" }
        return text
    }
}
