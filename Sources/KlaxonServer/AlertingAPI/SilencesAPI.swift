import Foundation
import KlaxonHTTP
import KlaxonMetrics
import KlaxonRouting
import KlaxonRuntime

/// `GET|POST /api/v1/silences` and `DELETE /api/v1/silences/{id}`, in Prometheus's envelope.
///
/// `GET` lists silences that are pending or active (`?expired=true` adds expired ones), newest
/// first. `POST` takes a `SilenceRequest`; with an `id` it replaces that silence.
package struct SilencesAPI: Sendable {
    /// Makes the id of a new silence.
    package typealias MakeID = @Sendable () -> String

    /// A random UUID in lower case, as Alertmanager's silence ids.
    package static let randomID: MakeID = { UUID().uuidString.lowercased() }

    /// The list and create route.
    package static let path = "/api/v1/silences"
    /// The prefix of `/api/v1/silences/{id}`.
    package static let silencePrefix = "/api/v1/silences/"

    private let service: SilenceService
    private let authorization: APIAuthorization

    /// `makeID` defaults to a random UUID in lower case, as Alertmanager's ids.
    package init(
        engine: RoutingEngine, clock: any WallClock, authorization: APIAuthorization,
        makeID: @escaping MakeID = SilencesAPI.randomID
    ) {
        self.service = SilenceService(engine: engine, clock: clock, makeID: makeID)
        self.authorization = authorization
    }

    /// Mounts the list, create and expire routes.
    package func register(in router: inout HTTPRouter) {
        router.add("GET", Self.path) { request in list(request) }
        router.add("POST", Self.path, execution: .worker) { request in create(request) }
        router.addPrefix("DELETE", Self.silencePrefix, execution: .worker) { request in expire(request) }
    }

    package func list(_ request: HTTPRequest) -> HTTPResponse {
        let now = service.clock.nowMilliseconds()
        let expired = request.queryValue("expired") == "true"
        let silences = service.engine.read { $0.allSilences }
            .filter { expired || $0.state(at: now) != .expired }
        return APIJSON.success(
            "{\"silences\":" + APIJSON.array(silences.map { AlertingJSON.silence($0, now: now) }) + "}")
    }

    package func create(_ request: HTTPRequest) -> HTTPResponse {
        do throws(APIError) {
            try authorization.check(request)
            let silence = try create(body: request.body)
            return APIJSON.success(AlertingJSON.silence(silence, now: service.clock.nowMilliseconds()))
        } catch {
            return error.v1Response
        }
    }

    /// Creates (or replaces) the silence a v1 `SilenceRequest` body asks for, once authorised:
    /// what the API's `create` and the status page's silence form both do.
    package func create(body: [UInt8]) throws(APIError) -> Silence {
        let now = service.clock.nowMilliseconds()
        let request = try SilenceRequest.parse(body, now: now, dialect: .klaxon)
        return try service.save(request, now: now)
    }

    package func expire(_ request: HTTPRequest) -> HTTPResponse {
        do throws(APIError) {
            try authorization.check(request)
            let id = String(request.path.dropFirst(Self.silencePrefix.count))
            let silence = try service.expire(id: id, alreadyExpiredIsError: true)
            return APIJSON.success(AlertingJSON.silence(silence, now: service.clock.nowMilliseconds()))
        } catch {
            return error.v1Response
        }
    }
}

/// What both silence APIs do with the router: create, replace and expire silences.
struct SilenceService: Sendable {
    let engine: RoutingEngine
    let clock: any WallClock
    let makeID: SilencesAPI.MakeID

    /// Adds the requested silence (or replaces the one with its id) and returns it as stored.
    ///
    /// An `untilResolved` alert must be firing; with no matchers, the silence gets the alert's
    /// labels as equality matchers, so it mutes exactly that alert.
    func save(_ request: SilenceRequest, now: Int64) throws(APIError) -> Silence {
        var request = request
        if let fingerprint = request.untilResolved {
            guard let alert = engine.read({ $0.firingAlerts.first { $0.fingerprint == fingerprint } }) else {
                throw .notFound(
                    "silence.untilResolved: no firing alert has fingerprint \(fingerprint); "
                        + "a silence until it resolves would never end")
            }
            if request.matchers.isEmpty {
                var matchers: [LabelMatcher] = []
                for label in alert.labels {
                    guard let matcher = try? LabelMatcher(label.name, .equal, label.value) else { continue }
                    matchers.append(matcher)
                }
                request.matchers = matchers
            }
        }
        let id: String
        if let existing = request.id {
            guard engine.read({ router in router.allSilences.contains { $0.id == existing } }) else {
                throw .notFound("silence.id: no silence has id \(existing); leave id out to create one")
            }
            id = existing
        } else {
            id = makeID()
        }
        let silence = request.silence(id: id, now: now)
        engine.addSilence(silence)
        return silence
    }

    /// Ends a silence now and returns it as it now stands.
    func expire(id: String, alreadyExpiredIsError: Bool) throws(APIError) -> Silence {
        guard !id.isEmpty, id.utf8.count <= 64, !id.contains("/") else {
            throw .badData("\"\(id.prefix(64))\" is not a silence id")
        }
        do {
            try engine.expireSilence(id: id)
        } catch {
            switch error {
            case .silenceAlreadyExpired where !alreadyExpiredIsError: break
            case .silenceAlreadyExpired: throw .badData(error.description)
            default: throw .notFound(error.description)
            }
        }
        guard let silence = engine.read({ router in router.allSilences.first { $0.id == id } }) else {
            throw .notFound("no silence has id \(id)")
        }
        return silence
    }
}
