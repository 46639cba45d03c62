import KlaxonHTTP
import KlaxonMetrics
import KlaxonRouting
import KlaxonRuntime

/// `GET /api/v1/alerts` (firing alerts with state, ack, silences and inhibition),
/// `POST /api/v1/alerts/{fingerprint}/ack` and `DELETE /api/v1/alerts/{fingerprint}/ack?by=NAME`.
///
/// Answers in Prometheus's envelope. Writes go through `APIAuthorization`.
package struct AlertsAPI: Sendable {
    /// The list route.
    package static let path = "/api/v1/alerts"
    /// The prefix of `/api/v1/alerts/{fingerprint}/ack`.
    package static let alertPrefix = "/api/v1/alerts/"

    private let engine: RoutingEngine
    private let clock: any WallClock
    private let authorization: APIAuthorization

    package init(engine: RoutingEngine, clock: any WallClock, authorization: APIAuthorization) {
        self.engine = engine
        self.clock = clock
        self.authorization = authorization
    }

    /// Mounts the list, ack and unack routes.
    package func register(in router: inout HTTPRouter) {
        router.add("GET", Self.path) { request in list(request) }
        router.addPrefix("POST", Self.alertPrefix, execution: .worker) { request in ack(request) }
        router.addPrefix("DELETE", Self.alertPrefix, execution: .worker) { request in unack(request) }
    }

    /// `GET /api/v1/alerts[?filter=MATCHER…]`: every firing alert matching all filters.
    package func list(_ request: HTTPRequest) -> HTTPResponse {
        do throws(APIError) {
            let filters = try Self.filters(request)
            let views = AlertStatusView.current(engine, now: clock.nowMilliseconds())
                .filter { view in filters.allSatisfy { $0.matches(view.alert.labels) } }
            return APIJSON.success("{\"alerts\":" + APIJSON.array(views.map(AlertingJSON.alert)) + "}")
        } catch {
            return error.v1Response
        }
    }

    /// `POST /api/v1/alerts/{fingerprint}/ack` with an `AckRequest` body.
    package func ack(_ request: HTTPRequest) -> HTTPResponse {
        do throws(APIError) {
            try authorization.check(request)
            let ack = try acknowledge(Self.fingerprint(request), body: request.body)
            return APIJSON.success(AlertingJSON.ack(ack))
        } catch {
            return error.v1Response
        }
    }

    /// Acks the alert `fingerprint` with an `AckRequest` body, once authorised: what the API's
    /// `ack` and the status page's ack form both do.
    package func acknowledge(_ fingerprint: Fingerprint, body: [UInt8]) throws(APIError) -> Ack {
        let now = clock.nowMilliseconds()
        let request = try AckRequest.parse(body, now: now)
        let ack = Ack(
            fingerprint: fingerprint, by: request.by, comment: request.comment, at: now, expiresAt: request.expiresAt)
        do {
            try engine.acknowledge(ack)
        } catch {
            throw .notFound(error.description)
        }
        return ack
    }

    /// `DELETE /api/v1/alerts/{fingerprint}/ack?by=NAME`: the alert pages again.
    package func unack(_ request: HTTPRequest) -> HTTPResponse {
        do throws(APIError) {
            try authorization.check(request)
            let fingerprint = try Self.fingerprint(request)
            try unacknowledge(
                fingerprint, by: request.queryValue("by") ?? "",
                refusal: "invalid parameter \"by\": say who takes the ack back (?by=alice, at most 256 bytes)")
            var object = JSONObjectWriter()
            object.string("fingerprint", fingerprint.description)
            return APIJSON.success(object.json)
        } catch {
            return error.v1Response
        }
    }

    /// Takes back the ack of `fingerprint`, once authorised. `refusal` is the error when `by` is
    /// empty or longer than 256 bytes: it names where `by` came from (parameter or form field).
    package func unacknowledge(_ fingerprint: Fingerprint, by: String, refusal: String) throws(APIError) {
        guard !by.isEmpty, by.utf8.count <= 256 else { throw .badData(refusal) }
        do {
            try engine.unacknowledge(fingerprint, by: by)
        } catch {
            throw .notFound("\(error.description) with an ack")
        }
    }

    // MARK: - Parameters

    /// `/api/v1/alerts/{fingerprint}/ack` → the fingerprint.
    static func fingerprint(_ request: HTTPRequest) throws(APIError) -> Fingerprint {
        let rest = request.path.dropFirst(alertPrefix.count)
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1] == "ack" else {
            throw .notFound("no route for \(request.path.prefix(120)); use /api/v1/alerts/{fingerprint}/ack")
        }
        guard let fingerprint = Fingerprint(hex: parts[0]) else {
            throw .badData(
                "\"\(parts[0].prefix(40))\" is not an alert fingerprint; use the 16 hex digits of GET /api/v1/alerts")
        }
        return fingerprint
    }

    /// The repeated `filter` parameter: Alertmanager matcher text (`alertname="X"`, `venue=~"a|b"`).
    static func filters(_ request: HTTPRequest) throws(APIError) -> [LabelMatcher] {
        let texts = request.queryValues("filter")
        guard texts.count <= 64 else { throw .badData("invalid parameter \"filter\": at most 64 matchers") }
        var matchers: [LabelMatcher] = []
        for text in texts {
            guard text.utf8.count <= 4096 else {
                throw .badData("invalid parameter \"filter\": longer than 4096 bytes")
            }
            do {
                matchers.append(try LabelMatcher(parsing: text))
            } catch {
                throw .badData("invalid parameter \"filter\": \(error.description)")
            }
        }
        return matchers
    }
}
