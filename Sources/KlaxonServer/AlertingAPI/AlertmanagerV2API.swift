import KlaxonHTTP
import KlaxonMetrics
import KlaxonRouting
import KlaxonRuntime

/// The parts of Alertmanager's API v2 that amtool and Grafana's Alertmanager data source use
/// for alerts and silences: `GET /api/v2/alerts`, `GET /api/v2/alerts/groups`, `GET|POST /api/v2/silences`,
/// `GET|DELETE /api/v2/silence/{id}`, `GET /api/v2/status`, `GET /api/v2/receivers`.
///
/// Shapes and field names follow Alertmanager's openapi.yaml; errors are a JSON string, as there.
/// Klaxon's own extensions (acks, silences until resolved) live in the v1 API.
package struct AlertmanagerV2API: Sendable {
    package static let alertsPath = "/api/v2/alerts"
    package static let alertGroupsPath = "/api/v2/alerts/groups"
    package static let silencesPath = "/api/v2/silences"
    package static let silencePrefix = "/api/v2/silence/"
    package static let statusPath = "/api/v2/status"
    package static let receiversPath = "/api/v2/receivers"

    private let service: SilenceService
    private let authorization: APIAuthorization
    private let startedAt: Int64
    private let version: String

    /// `startedAt` (Unix ms) is reported as `uptime`; `version` in `versionInfo`.
    package init(
        engine: RoutingEngine, clock: any WallClock, authorization: APIAuthorization, startedAt: Int64,
        version: String = KlaxonVersion.version, makeID: @escaping SilencesAPI.MakeID = SilencesAPI.randomID
    ) {
        self.service = SilenceService(engine: engine, clock: clock, makeID: makeID)
        self.authorization = authorization
        self.startedAt = startedAt
        self.version = version
    }

    package func register(in router: inout HTTPRouter) {
        router.add("GET", Self.alertsPath) { request in alerts(request) }
        router.add("GET", Self.alertGroupsPath) { request in alertGroups(request) }
        router.add("GET", Self.silencesPath) { request in silences(request) }
        router.add("POST", Self.silencesPath, execution: .worker) { request in postSilence(request) }
        router.addPrefix("GET", Self.silencePrefix) { request in silence(request) }
        router.addPrefix("DELETE", Self.silencePrefix, execution: .worker) { request in deleteSilence(request) }
        router.add("GET", Self.statusPath) { _ in
            let status = AlertmanagerV2JSON.status(version: version, startedAt: startedAt, receivers: receiverNames())
            return HTTPResponse.json(Array(status.utf8))
        }
        router.add("GET", Self.receiversPath) { _ in receivers() }
    }

    // MARK: - Alerts

    /// gettableAlerts, filtered by `active`, `silenced`, `inhibited`, `unprocessed` (booleans,
    /// default true), `filter` (matchers) and `receiver` (a regex on receiver names).
    package func alerts(_ request: HTTPRequest) -> HTTPResponse {
        do throws(APIError) {
            let views = try selectedAlerts(request)
            return HTTPResponse.json(Array(APIJSON.array(views.map(AlertmanagerV2JSON.alert)).utf8))
        } catch {
            return error.v2Response
        }
    }

    /// alertGroups (what Grafana's alert list reads): the selected alerts per receiver and
    /// group labels (severity, source and `routing.group_by`), as routing groups them. Alerts
    /// the policy sends nowhere are listed under the receiver `audit-only`.
    package func alertGroups(_ request: HTTPRequest) -> HTTPResponse {
        do throws(APIError) {
            let views = try selectedAlerts(request)
            let groupBy = service.engine.read { $0.settings.routing.groupBy }
            var groups: [String: (receiver: String, labels: Labels, alerts: [AlertStatusView])] = [:]
            for view in views {
                var pairs = [Label("severity", view.alert.severity.name), Label("source", view.alert.source)]
                for name in groupBy where name != "severity" && name != "source" {
                    pairs.append(Label(name, view.alert.labels[name] ?? ""))
                }
                let labels = Labels(pairs)
                for receiver in view.receivers.isEmpty ? ["audit-only"] : view.receivers {
                    let key = receiver + "\u{0}" + labels.description
                    groups[key, default: (receiver, labels, [])].alerts.append(view)
                }
            }
            let rendered = groups.keys.sorted().compactMap { key -> String? in
                guard let group = groups[key] else { return nil }
                var object = JSONObjectWriter()
                object.raw("alerts", APIJSON.array(group.alerts.map(AlertmanagerV2JSON.alert)))
                object.labels("labels", group.labels)
                object.raw("receiver", AlertmanagerV2JSON.receiver(group.receiver))
                return object.json
            }
            return HTTPResponse.json(Array(APIJSON.array(rendered).utf8))
        } catch {
            return error.v2Response
        }
    }

    /// The alerts the query selects (see `alerts`).
    private func selectedAlerts(_ request: HTTPRequest) throws(APIError) -> [AlertStatusView] {
        let active = try Self.flag(request, "active")
        let silenced = try Self.flag(request, "silenced")
        let inhibited = try Self.flag(request, "inhibited")
        _ = try Self.flag(request, "unprocessed")
        let filters = try AlertsAPI.filters(request)
        var receiver: LabelMatcher?
        if let pattern = request.queryValue("receiver"), !pattern.isEmpty {
            do {
                receiver = try LabelMatcher("receiver", .regexMatch, pattern)
            } catch {
                throw .badData("invalid parameter \"receiver\": \(error.description)")
            }
        }
        let views = AlertStatusView.current(service.engine, now: service.clock.nowMilliseconds()).filter { view in
            let suppressed = !view.silencedBy.isEmpty || !view.inhibitedBy.isEmpty
            if !active && !suppressed { return false }
            if !silenced && !view.silencedBy.isEmpty { return false }
            if !inhibited && !view.inhibitedBy.isEmpty { return false }
            if let receiver, !view.receivers.contains(where: { receiver.matches($0) }) { return false }
            return filters.allSatisfy { $0.matches(view.alert.labels) }
        }
        return views
    }

    // MARK: - Silences

    /// gettableSilences: active first (soonest end first), then pending, then expired, as
    /// Alertmanager sorts them; `filter` keeps silences with a matcher on each filter's label
    /// whose value the filter accepts.
    package func silences(_ request: HTTPRequest) -> HTTPResponse {
        do throws(APIError) {
            let filters = try AlertsAPI.filters(request)
            let now = service.clock.nowMilliseconds()
            let rank: [Silence.State: Int] = [.active: 0, .pending: 1, .expired: 2]
            let silences = service.engine.read { $0.allSilences }
                .filter { silence in
                    filters.allSatisfy { filter in
                        silence.matchers.contains { $0.name == filter.name && filter.matches($0.value) }
                    }
                }
                .sorted { lhs, rhs in
                    let (left, right) = (lhs.state(at: now), rhs.state(at: now))
                    if left != right { return rank[left, default: 3] < rank[right, default: 3] }
                    switch left {
                    case .active: return lhs.endsAt < rhs.endsAt
                    case .pending: return lhs.startsAt < rhs.startsAt
                    case .expired: return lhs.endsAt > rhs.endsAt
                    }
                }
            return HTTPResponse.json(
                Array(APIJSON.array(silences.map { AlertmanagerV2JSON.silence($0, now: now) }).utf8))
        } catch {
            return error.v2Response
        }
    }

    /// `GET /api/v2/silence/{id}`.
    package func silence(_ request: HTTPRequest) -> HTTPResponse {
        let id = String(request.path.dropFirst(Self.silencePrefix.count))
        let now = service.clock.nowMilliseconds()
        guard let silence = service.engine.read({ router in router.allSilences.first { $0.id == id } }) else {
            return APIError.notFound("no silence has id \(id.prefix(64))").v2Response
        }
        return HTTPResponse.json(Array(AlertmanagerV2JSON.silence(silence, now: now).utf8))
    }

    /// `POST /api/v2/silences` with a postableSilence: `{"silenceID": …}`.
    package func postSilence(_ request: HTTPRequest) -> HTTPResponse {
        do throws(APIError) {
            try authorization.check(request)
            let now = service.clock.nowMilliseconds()
            let body = try SilenceRequest.parse(request.body, now: now, dialect: .alertmanager)
            let silence = try service.save(body, now: now)
            var object = JSONObjectWriter()
            object.string("silenceID", silence.id)
            return HTTPResponse.json(Array(object.json.utf8))
        } catch {
            return error.v2Response
        }
    }

    /// `DELETE /api/v2/silence/{id}`: expires it (200 with no body; expiring an expired silence is fine).
    package func deleteSilence(_ request: HTTPRequest) -> HTTPResponse {
        do throws(APIError) {
            try authorization.check(request)
            _ = try service.expire(
                id: String(request.path.dropFirst(Self.silencePrefix.count)), alreadyExpiredIsError: false)
            return HTTPResponse(status: .ok)
        } catch {
            return error.v2Response
        }
    }

    // MARK: - Status and receivers

    /// The receivers routing can send to: configured ones and the log receiver.
    private func receivers() -> HTTPResponse {
        HTTPResponse.json(Array(APIJSON.array(receiverNames().map(AlertmanagerV2JSON.receiver)).utf8))
    }

    private func receiverNames() -> [String] {
        service.engine.read { $0.settings.configuredReceivers }.union([RouterSettings.logReceiver]).sorted()
    }

    /// A boolean query parameter, true when absent.
    private static func flag(_ request: HTTPRequest, _ name: String) throws(APIError) -> Bool {
        switch request.queryValue(name) {
        case nil, "true", "": true
        case "false": false
        case .some(let other):
            throw .badData("invalid parameter \"\(name)\": \"\(other.prefix(20))\"; use true or false")
        }
    }
}
