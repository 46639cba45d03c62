import Dispatch
import KlaxonRouting
import KlaxonStore
import Synchronization

/// A retry sleeper the test releases by hand: the writer blocks in `sleep` until `wake()`.
final class ManualRetrySleeper: StoreRetrySleeper {
    private let requested = Mutex<[Int64]>([])
    private let semaphore = DispatchSemaphore(value: 0)

    /// Every wait the writer asked for, in milliseconds.
    var sleeps: [Int64] { requested.withLock { $0 } }

    func sleep(milliseconds: Int64) {
        requested.withLock { $0.append(milliseconds) }
        semaphore.wait()
    }

    func interrupt() { semaphore.signal() }

    /// Ends the writer's current wait.
    func wake() { semaphore.signal() }
}

/// An in-memory store whose `apply` fails as the test says; records what it applied.
final class ScriptedStore: AlertStore {
    let instance = "scripted"
    private let state = Mutex<(applied: [[StoreWrite]], unavailable: Bool, refusedKeys: Set<String>)>(([], false, []))

    /// Every successful `apply`, in order.
    var applied: [[StoreWrite]] { state.withLock { $0.applied } }
    /// Every write applied, flattened.
    var writes: [StoreWrite] { applied.flatMap { $0 } }

    /// While true, `apply` throws `.unavailable`.
    func setUnavailable(_ unavailable: Bool) { state.withLock { $0.unavailable = unavailable } }

    /// Routing-state writes with these keys make `apply` throw `.failed`.
    func refuse(routingStateKey key: String) { state.withLock { _ = $0.refusedKeys.insert(key) } }

    func apply(_ writes: [StoreWrite]) throws(StoreError) {
        try state.withLock { (state) throws(StoreError) in
            if state.unavailable { throw StoreError(.unavailable, "database down") }
            for case .routingState(let key, _) in writes where state.refusedKeys.contains(key) {
                throw StoreError(.failed, "refused \(key)")
            }
            state.applied.append(writes)
        }
    }

    func history(_ query: HistoryQuery) throws(StoreError) -> HistoryPage { HistoryPage(records: [], nextCursor: nil) }
    func pruneAudit(olderThan time: Int64) throws(StoreError) -> Int { 0 }
    func activeAlerts() throws(StoreError) -> [PersistedAlert] { [] }
    func silences() throws(StoreError) -> [Silence] { [] }
    func acks() throws(StoreError) -> [Ack] { [] }
    func dueOutbox(now: Int64, limit: Int) throws(StoreError) -> [OutboxEntry] { [] }
    func outboxDepth() throws(StoreError) -> (count: Int, oldestCreatedAt: Int64?) { (0, nil) }
    func claimDelivery(key: String, now: Int64) throws(StoreError) -> Bool { true }
    func routingState(key: String) throws(StoreError) -> String? { nil }
}
