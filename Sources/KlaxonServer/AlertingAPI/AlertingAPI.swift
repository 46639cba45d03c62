import KlaxonHTTP
import KlaxonRouting
import KlaxonRuntime

/// Every alerting API on one router, for the server's wiring: alerts and acks, silences,
/// history, receivers and the Alertmanager v2 endpoints, sharing one `api.token` guard.
package enum AlertingAPI {
    /// The exact paths served, for request metrics.
    package static let exactPaths = [
        AlertsAPI.path, SilencesAPI.path, HistoryAPI.path, ReceiversAPI.path, AlertmanagerV2API.alertsPath,
        AlertmanagerV2API.alertGroupsPath, AlertmanagerV2API.silencesPath, AlertmanagerV2API.statusPath,
        AlertmanagerV2API.receiversPath,
    ]
    /// The path prefixes served (`…/{fingerprint}/ack`, `…/{id}`), for request metrics.
    package static let prefixPaths = [
        AlertsAPI.alertPrefix, SilencesAPI.silencePrefix, AlertmanagerV2API.silencePrefix,
    ]

    /// Mounts every alerting route. `startedAt` (Unix ms) is what `/api/v2/status` reports as uptime.
    package static func register(
        in router: inout HTTPRouter, engine: RoutingEngine, store: any AlertStore,
        receivers: @escaping ReceiversAPI.Statuses, store storeHealth: @escaping ReceiversAPI.Store = { nil },
        token: String?, clock: any WallClock, startedAt: Int64
    ) {
        let authorization = APIAuthorization(token: token)
        AlertsAPI(engine: engine, clock: clock, authorization: authorization).register(in: &router)
        SilencesAPI(engine: engine, clock: clock, authorization: authorization).register(in: &router)
        HistoryAPI(store: store).register(in: &router)
        ReceiversAPI(statuses: receivers, store: storeHealth).register(in: &router)
        AlertmanagerV2API(engine: engine, clock: clock, authorization: authorization, startedAt: startedAt)
            .register(in: &router)
    }
}
