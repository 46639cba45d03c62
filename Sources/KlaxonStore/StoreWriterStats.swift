import KlaxonRouting

/// What the store writer reports for Klaxon's self-metrics (`klaxon_store_*`).
package struct StoreWriterStats: Sendable, Equatable {
    /// Writes waiting for the database (the one being applied included).
    package var spooledWrites = 0
    /// Batches waiting for the database.
    package var spooledBatches = 0
    /// Writes the database holds.
    package var appliedWrites = 0
    /// Writes refused because the spool was full (each logged in a warning).
    package var overflowedWrites = 0
    /// Writes the database refused for good (a constraint, a corrupt row); each logged as an error.
    package var rejectedWrites = 0
    /// Failed attempts to apply a batch, transient or not.
    package var errors = 0
    /// The error of the last attempt; nil once a write succeeded again.
    package var lastError: StoreError?
    /// Transactions applied, and their total and last duration in seconds (write latency).
    package var transactions = 0
    package var writeSecondsTotal = 0.0
    package var lastWriteSeconds = 0.0

    package init() {}
}
