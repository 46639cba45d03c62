import KlaxonRouting
import KlaxonRuntime
import Synchronization

/// The embedded store: one SQLite file in WAL mode, `<data_dir>/klaxon.db` by default.
///
/// One connection, used by one caller at a time (the `Mutex`); every call blocks on disk I/O, so
/// callers run it on a thread of their own (`StoreWriter` does).
package final class SQLiteAlertStore: AlertStore {
    package let instance: String
    /// The database file.
    package let path: String
    private let connection: Mutex<SQLiteConnection>

    /// Opens (creating file and directory when missing) the database at `path` and migrates it.
    package init(path: String, instance: String, clock: any WallClock = SystemWallClock()) throws(StoreError) {
        let opened = try SQLiteConnection(path: path)
        try StoreMigrator.migrate(opened, now: clock.nowMilliseconds())
        self.instance = instance
        self.path = path
        self.connection = Mutex(opened)
    }

    package func apply(_ writes: [StoreWrite]) throws(StoreError) {
        try connection.withLock { (connection) throws(StoreError) in try connection.apply(writes, instance: instance) }
    }

    package func history(_ query: HistoryQuery) throws(StoreError) -> HistoryPage {
        try connection.withLock { (connection) throws(StoreError) in try connection.history(query) }
    }

    package func pruneAudit(olderThan time: Int64) throws(StoreError) -> Int {
        try connection.withLock { (connection) throws(StoreError) in
            try connection.pruneAudit(olderThan: time, instance: instance)
        }
    }

    package func activeAlerts() throws(StoreError) -> [PersistedAlert] {
        try connection.withLock { (connection) throws(StoreError) in try connection.activeAlerts(instance: instance) }
    }

    package func silences() throws(StoreError) -> [Silence] {
        try connection.withLock { (connection) throws(StoreError) in try connection.silences(instance: instance) }
    }

    package func acks() throws(StoreError) -> [Ack] {
        try connection.withLock { (connection) throws(StoreError) in try connection.acks(instance: instance) }
    }

    package func dueOutbox(now: Int64, limit: Int) throws(StoreError) -> [OutboxEntry] {
        try connection.withLock { (connection) throws(StoreError) in
            try connection.dueOutbox(now: now, limit: limit, instance: instance)
        }
    }

    package func outboxDepth() throws(StoreError) -> (count: Int, oldestCreatedAt: Int64?) {
        try connection.withLock { (connection) throws(StoreError) in try connection.outboxDepth(instance: instance) }
    }

    package func claimDelivery(key: String, now: Int64) throws(StoreError) -> Bool {
        try connection.withLock { (connection) throws(StoreError) in
            try connection.claimDelivery(key: key, now: now, instance: instance)
        }
    }

    package func routingState(key: String) throws(StoreError) -> String? {
        try connection.withLock { (connection) throws(StoreError) in
            try connection.routingState(key: key, instance: instance)
        }
    }
}
