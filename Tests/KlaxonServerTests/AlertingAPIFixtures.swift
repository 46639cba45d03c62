import Foundation
import KlaxonConfig
import KlaxonHTTP
import KlaxonMetrics
import KlaxonRouting
import KlaxonServer
import KlaxonTestSupport
import Synchronization

/// An `AlertStore` in memory: applies writes in order and answers history with every filter,
/// so API tests read back what routing wrote.
final class HistoryRecordingStore: AlertStore {
    let instance = "klaxon-1"
    private let records = Mutex<[AuditRecord]>([])
    /// When set, `history` fails with it.
    let failure = Mutex<StoreError?>(nil)

    func apply(_ writes: [StoreWrite]) throws(StoreError) {
        records.withLock { records in
            for write in writes {
                guard case .audit(var record) = write else { continue }
                record.id = Int64(records.count + 1)
                records.append(record)
            }
        }
    }

    func history(_ query: HistoryQuery) throws(StoreError) -> HistoryPage {
        if let failure = failure.withLock({ $0 }) { throw failure }
        let matching = records.withLock { $0 }.reversed().filter { record in
            (query.severity == nil || record.severity == query.severity)
                && (query.alertName == nil || record.alertName == query.alertName)
                && (query.ruleID == nil || record.ruleID == query.ruleID)
                && (query.source == nil || record.source == query.source)
                && (query.fingerprint == nil || record.fingerprint == query.fingerprint)
                && (query.kind == nil || record.kind == query.kind)
                && (query.receiver == nil || record.receiver == query.receiver)
                && (query.instance == nil || record.instance == query.instance)
                && (query.since.map { record.time >= $0 } ?? true)
                && (query.until.map { record.time < $0 } ?? true)
                && (query.before.map { record.id < $0 } ?? true)
        }
        let page = Array(matching.prefix(query.limit))
        return HistoryPage(records: page, nextCursor: matching.count > query.limit ? page.last?.id : nil)
    }

    func pruneAudit(olderThan time: Int64) throws(StoreError) -> Int { 0 }
    func activeAlerts() throws(StoreError) -> [PersistedAlert] { [] }
    func silences() throws(StoreError) -> [Silence] { [] }
    func acks() throws(StoreError) -> [Ack] { [] }
    func dueOutbox(now: Int64, limit: Int) throws(StoreError) -> [OutboxEntry] { [] }
    func outboxDepth() throws(StoreError) -> (count: Int, oldestCreatedAt: Int64?) { (0, nil) }
    func claimDelivery(key: String, now: Int64) throws(StoreError) -> Bool { true }
    func routingState(key: String) throws(StoreError) -> String? { nil }
}

/// A routing engine on a manual clock whose writes land in a `HistoryRecordingStore`, with the
/// alerting APIs mounted on one router.
struct AlertingAPIHarness {
    let clock = ManualWallClock()
    let store = HistoryRecordingStore()
    let engine: RoutingEngine
    let router: HTTPRouter

    init(token: String? = nil, receivers: [ReceiverStatus] = []) {
        let store = store
        var routing = RoutingConfiguration()
        routing.skipThrottle = true
        engine = RoutingEngine(
            router: Router(
                settings: RouterSettings(
                    routing: routing, environment: .prod, instance: "klaxon-1", configuredReceivers: ["telegram"])),
            clock: clock, logger: .disabled, persist: { writes in try? store.apply(writes) }, deliver: { _ in })
        let authorization = APIAuthorization(token: token)
        // Silence ids in order: silence-1, silence-2, …
        let ids = SilenceCounter()
        let makeID: SilencesAPI.MakeID = { "silence-\(ids.next())" }
        var router = HTTPRouter()
        AlertsAPI(engine: engine, clock: clock, authorization: authorization).register(in: &router)
        SilencesAPI(engine: engine, clock: clock, authorization: authorization, makeID: makeID).register(in: &router)
        HistoryAPI(store: store).register(in: &router)
        ReceiversAPI { receivers }.register(in: &router)
        AlertmanagerV2API(
            engine: engine, clock: clock, authorization: authorization, startedAt: clock.nowMilliseconds(),
            makeID: makeID
        ).register(in: &router)
        self.router = router
    }

    /// Routes `alerts` as firing now.
    @discardableResult
    func fire(
        _ name: String, _ severity: Severity = .p1, _ extra: [String: String] = [:]
    ) -> AlertEvent {
        var labels = ["alertname": name, "severity": severity.name, "source": "System"]
        labels.merge(extra) { $1 }
        let now = clock.nowMilliseconds()
        let event = AlertEvent(
            labels: Labels(labels), annotations: [Label("summary", "\(name) fired")], status: .firing, activeAt: now,
            startsAt: now, value: 1)
        engine.submit([event])
        engine.step()
        return event
    }

    /// Routes `event` as resolved now.
    func resolve(_ event: AlertEvent) {
        var copy = event
        copy.status = .resolved
        copy.resolvedAt = clock.nowMilliseconds()
        engine.submit([copy])
        engine.step()
    }

    func send(
        _ method: String, _ target: String, body: String = "", headers: HTTPHeaders = [:]
    ) -> HTTPResponse {
        router.handle(HTTPRequest(method: method, target: target, headers: headers, body: Array(body.utf8)))
    }
}

/// Hands out 1, 2, 3, … across threads.
final class SilenceCounter: Sendable {
    private let count = Mutex(0)

    func next() -> Int {
        count.withLock {
            $0 += 1
            return $0
        }
    }
}

/// A response body as JSON, for assertions.
func json(_ response: HTTPResponse) -> Any? {
    try? JSONSerialization.jsonObject(with: Data(response.body), options: [.fragmentsAllowed])
}

/// `data` of a v1 success envelope.
func data(_ response: HTTPResponse) -> [String: Any]? {
    guard let object = json(response) as? [String: Any], object["status"] as? String == "success" else { return nil }
    return object["data"] as? [String: Any]
}

/// `error` of a v1 error envelope.
func errorMessage(_ response: HTTPResponse) -> String? {
    guard let object = json(response) as? [String: Any], object["status"] as? String == "error" else { return nil }
    return object["error"] as? String
}
