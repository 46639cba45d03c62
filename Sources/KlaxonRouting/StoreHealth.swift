/// How the alert store is doing, for `GET /api/v1/receivers`: whether its last write went
/// through, what failed, and how much waits to be written (routing and delivery go on meanwhile).
package struct StoreHealth: Sendable, Equatable {
    /// `sqlite` or `postgres`.
    package var kind: String
    /// False while the last transaction failed (the database is away or refusing writes).
    package var up: Bool
    /// The last failure's text (never the connection string); nil when the last write succeeded.
    package var lastError: String?
    /// Writes spooled in memory, waiting for the database.
    package var spooledWrites: Int

    package init(kind: String, up: Bool, lastError: String? = nil, spooledWrites: Int = 0) {
        self.kind = kind
        self.up = up
        self.lastError = lastError
        self.spooledWrites = spooledWrites
    }
}
