import KlaxonRouting
import KlaxonRuntime
import Synchronization

/// The shared store: a PostgreSQL database reached with libpq (`store.url: postgres://…`).
///
/// One connection, used by one caller at a time (the `Mutex`). A lost connection makes the call
/// fail as `.unavailable`; the next call connects again (and migrates, if the first connection
/// never got that far). Neither the URL nor the password appears in any error.
package final class PostgresAlertStore: AlertStore {
    package let instance: String
    private let url: String
    private let clock: any WallClock
    private let state: Mutex<ConnectionState>

    /// Connects to `url` and migrates the database; throws `.unavailable` when it cannot be reached.
    package init(url: String, instance: String, clock: any WallClock = SystemWallClock()) throws(StoreError) {
        self.url = url
        self.instance = instance
        self.clock = clock
        self.state = Mutex(ConnectionState())
        try withConnection { _ throws(StoreError) in }
    }

    package func apply(_ writes: [StoreWrite]) throws(StoreError) {
        try withConnection { (connection) throws(StoreError) in try connection.apply(writes, instance: instance) }
    }

    package func history(_ query: HistoryQuery) throws(StoreError) -> HistoryPage {
        try withConnection { (connection) throws(StoreError) in try connection.history(query) }
    }

    package func pruneAudit(olderThan time: Int64) throws(StoreError) -> Int {
        try withConnection { (connection) throws(StoreError) in
            try connection.pruneAudit(olderThan: time, instance: instance)
        }
    }

    package func activeAlerts() throws(StoreError) -> [PersistedAlert] {
        try withConnection { (connection) throws(StoreError) in try connection.activeAlerts(instance: instance) }
    }

    package func silences() throws(StoreError) -> [Silence] {
        try withConnection { (connection) throws(StoreError) in try connection.silences(instance: instance) }
    }

    package func acks() throws(StoreError) -> [Ack] {
        try withConnection { (connection) throws(StoreError) in try connection.acks(instance: instance) }
    }

    package func dueOutbox(now: Int64, limit: Int) throws(StoreError) -> [OutboxEntry] {
        try withConnection { (connection) throws(StoreError) in
            try connection.dueOutbox(now: now, limit: limit, instance: instance)
        }
    }

    package func outboxDepth() throws(StoreError) -> (count: Int, oldestCreatedAt: Int64?) {
        try withConnection { (connection) throws(StoreError) in try connection.outboxDepth(instance: instance) }
    }

    package func claimDelivery(key: String, now: Int64) throws(StoreError) -> Bool {
        try withConnection { (connection) throws(StoreError) in
            try connection.claimDelivery(key: key, now: now, instance: instance)
        }
    }

    package func routingState(key: String) throws(StoreError) -> String? {
        try withConnection { (connection) throws(StoreError) in
            try connection.routingState(key: key, instance: instance)
        }
    }

    // MARK: - Connection

    /// The connection, or none after a loss; `migrated` once this process brought the schema up.
    private struct ConnectionState {
        var connection: PostgresConnection?
        var migrated = false
    }

    /// Runs `body` on the connection under the lock, connecting (and migrating) first when needed;
    /// a failure that leaves the connection broken drops it, so the next call reconnects.
    private func withConnection<Result: Sendable>(
        _ body: (PostgresConnection) throws(StoreError) -> Result
    ) throws(StoreError) -> Result {
        try state.withLock { (state) throws(StoreError) -> Result in
            let connection: PostgresConnection
            if let existing = state.connection, existing.isConnected {
                connection = existing
            } else {
                state.connection = nil
                let opened = try PostgresConnection(url: url)
                if !state.migrated {
                    try StoreMigrator.migrate(opened, now: clock.nowMilliseconds())
                    state.migrated = true
                }
                state.connection = opened
                connection = opened
            }
            do throws(StoreError) {
                return try body(connection)
            } catch {
                if error.kind == .unavailable || !connection.isConnected { state.connection = nil }
                throw error
            }
        }
    }
}
