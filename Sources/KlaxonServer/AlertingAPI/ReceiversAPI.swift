import KlaxonHTTP
import KlaxonRouting

/// `GET /api/v1/receivers`: each receiver's last success, last error and outbox depth, and the
/// alert store's health.
package struct ReceiversAPI: Sendable {
    /// Reads the receivers' current status; quick (a copy under a lock), called per request.
    package typealias Statuses = @Sendable () -> [ReceiverStatus]
    /// Reads the store's health; quick, called per request.
    package typealias Store = @Sendable () -> StoreHealth?

    /// The route.
    package static let path = "/api/v1/receivers"

    private let statuses: Statuses
    private let store: Store

    package init(statuses: @escaping Statuses, store: @escaping Store = { nil }) {
        self.statuses = statuses
        self.store = store
    }

    package func register(in router: inout HTTPRouter) {
        router.add("GET", Self.path) { request in handle(request) }
    }

    /// The receivers in name order.
    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        let receivers = statuses().sorted { $0.name < $1.name }
        let storeJSON = store().map { ",\"store\":" + AlertingJSON.store($0) } ?? ""
        return APIJSON.success(
            "{\"receivers\":" + APIJSON.array(receivers.map(AlertingJSON.receiver)) + storeJSON + "}")
    }
}
