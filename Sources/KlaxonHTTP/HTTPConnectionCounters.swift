import Synchronization

/// Counts of an `HTTPServer`'s connections, for an application's self-metrics.
///
/// Shared by every I/O loop of one server; a loop updates them with relaxed atomics, a reader
/// takes a `snapshot()` whenever it likes.
package final class HTTPConnectionCounters: Sendable {
    /// What the counters held at one moment.
    package struct Snapshot: Sendable, Equatable {
        /// Connections open now.
        package var open: Int
        /// Idle or half-sent connections closed to admit a new client at `maxConnections`.
        package var evicted: Int
        /// New clients answered 503 because every connection was busy with a response.
        package var refused: Int

        package init(open: Int = 0, evicted: Int = 0, refused: Int = 0) {
            self.open = open
            self.evicted = evicted
            self.refused = refused
        }
    }

    private let open = Atomic<Int>(0)
    private let evicted = Atomic<Int>(0)
    private let refused = Atomic<Int>(0)

    package init() {}

    /// The counts now.
    package func snapshot() -> Snapshot {
        Snapshot(
            open: open.load(ordering: .relaxed), evicted: evicted.load(ordering: .relaxed),
            refused: refused.load(ordering: .relaxed))
    }

    func opened() { open.add(1, ordering: .relaxed) }
    func closed() { open.subtract(1, ordering: .relaxed) }
    func evictedOne() { evicted.add(1, ordering: .relaxed) }
    func refusedOne() { refused.add(1, ordering: .relaxed) }
}
