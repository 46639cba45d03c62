import KlaxonConfig
import KlaxonHTTP
import KlaxonMetrics
import KlaxonRouting

/// `GET /api/v1/alerts/history`: the audit trail newest first, a page at a time.
///
/// Filters (all optional, all must match): `severity` (P0…P3), `alertname`, `rule_id`,
/// `source`, `fingerprint`, `kind` (fired, resolved, queued, sent, failed, suppressed, acked,
/// unacked, escalated, silence_created, silence_expired), `receiver`, `instance`, `since`
/// (inclusive) and `until` (exclusive) as RFC 3339 or Unix seconds. `limit` 1…1000 (default
/// 100); `cursor` is the previous page's `nextCursor`.
package struct HistoryAPI: Sendable {
    /// The route.
    package static let path = "/api/v1/alerts/history"
    /// Page size when `limit` is not given.
    package static let defaultLimit = 100

    private let store: any AlertStore

    package init(store: any AlertStore) {
        self.store = store
    }

    /// Mounts `GET /api/v1/alerts/history` (an exact route, so it wins over `/api/v1/alerts/{fingerprint}`).
    package func register(in router: inout HTTPRouter) {
        router.add("GET", Self.path, execution: .worker) { request in handle(request) }
    }

    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        do throws(APIError) {
            let query = try Self.query(request)
            let page: HistoryPage
            do {
                page = try store.history(query)
            } catch {
                throw error.kind == .unavailable
                    ? .unavailable("the alert store is unavailable: \(error.message)")
                    : APIError(
                        status: .internalServerError, type: "internal",
                        message: "reading history failed: \(error.message)")
            }
            var data = JSONObjectWriter()
            data.raw("records", APIJSON.array(page.records.map(AlertingJSON.record)))
            data.string("nextCursor", page.nextCursor.map { String($0) })
            return APIJSON.success(data.json)
        } catch {
            return error.v1Response
        }
    }

    /// The parameters as a store query; each bad one is named with what is allowed.
    package static func query(_ request: HTTPRequest) throws(APIError) -> HistoryQuery {
        let known = [
            "severity", "alertname", "rule_id", "source", "fingerprint", "kind", "receiver", "instance",
            "since", "until", "limit", "cursor",
        ]
        var query = HistoryQuery(limit: defaultLimit)
        for item in request.query {
            guard known.contains(item.name) else {
                throw .badData(
                    "unknown parameter \"\(item.name.prefix(40))\"; allowed: \(known.joined(separator: ", "))")
            }
            guard item.value.utf8.count <= 1024 else {
                throw .badData("invalid parameter \"\(item.name)\": longer than 1024 bytes")
            }
        }
        func value(_ name: String) -> String? { request.queryValue(name).flatMap { $0.isEmpty ? nil : $0 } }
        if let text = value("severity") {
            guard let severity = Severity(name: text) else {
                throw .badData("invalid parameter \"severity\": \"\(text.prefix(40))\"; allowed: P0, P1, P2, P3")
            }
            query.severity = severity
        }
        query.alertName = value("alertname")
        query.ruleID = value("rule_id")
        query.source = value("source")
        query.receiver = value("receiver")
        query.instance = value("instance")
        if let text = value("fingerprint") {
            guard let fingerprint = Fingerprint(hex: text) else {
                throw .badData("invalid parameter \"fingerprint\": \"\(text.prefix(40))\" is not 16 hex digits")
            }
            query.fingerprint = fingerprint
        }
        if let text = value("kind") {
            guard let kind = AuditKind(rawValue: text) else {
                let allowed = AuditKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw .badData("invalid parameter \"kind\": \"\(text.prefix(40))\"; allowed: \(allowed)")
            }
            query.kind = kind
        }
        query.since = try time(value("since"), "since")
        query.until = try time(value("until"), "until")
        if let since = query.since, let until = query.until, until <= since {
            throw .badData("invalid parameter \"until\": it must be after since")
        }
        if let text = value("limit") {
            guard let limit = Int(text), (1...1000).contains(limit) else {
                throw .badData("invalid parameter \"limit\": \"\(text.prefix(40))\"; allowed: 1 to 1000")
            }
            query.limit = limit
        }
        if let text = value("cursor") {
            guard let cursor = Int64(text), cursor > 0 else {
                throw .badData(
                    "invalid parameter \"cursor\": \"\(text.prefix(40))\"; pass the nextCursor of the previous page")
            }
            query.before = cursor
        }
        return query
    }

    private static func time(_ text: String?, _ name: String) throws(APIError) -> Int64? {
        guard let text else { return nil }
        guard let time = APITime.parse(text) else {
            throw .badData(
                "invalid parameter \"\(name)\": cannot parse \"\(text.prefix(64))\"; use RFC 3339 "
                    + "(2026-01-01T09:30:00Z) or Unix seconds")
        }
        return time
    }
}
