import KlaxonRouting

/// Brings a database to `StoreSchema.latestVersion` when a store opens.
///
/// Everything happens in one transaction: the version check, each missing migration and its
/// `schema_migrations` row. On PostgreSQL an advisory lock makes Klaxons starting together on one
/// database migrate one after the other; the second finds nothing left to do. SQLite's
/// `BEGIN IMMEDIATE` does the same for processes sharing a file.
enum StoreMigrator {
    /// The advisory lock key: any constant no other program on the database uses ("KLAXON" in ASCII).
    private static let advisoryLock: Int64 = 0x4B4C_4158_4F4E

    /// Applies the missing migrations; returns the versions applied (empty when up to date).
    @discardableResult
    static func migrate(_ connection: some SQLConnection, now: Int64) throws(StoreError) -> [Int] {
        try connection.transaction { () throws(StoreError) -> [Int] in
            if connection.dialect == .postgres {
                _ = try connection.query("SELECT pg_advisory_xact_lock($1)", [.integer(advisoryLock)])
            }
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY,
                    name TEXT NOT NULL,
                    applied_at BIGINT NOT NULL
                )
                """, [])
            let rows = try connection.query("SELECT MAX(version) FROM schema_migrations", [])
            let current =
                try rows.first.map { row throws(StoreError) in
                    try RowReader(row, table: "schema_migrations").optionalInt(0, "version")
                } ?? nil
            let version = current ?? 0
            guard version <= StoreSchema.latestVersion else {
                throw StoreError(
                    .schema,
                    "the database schema is at version \(version), newer than this Klaxon knows "
                        + "(\(StoreSchema.latestVersion)); run a Klaxon at least as new as the one that migrated it")
            }
            var applied: [Int] = []
            for migration in StoreSchema.migrations where migration.version > version {
                for statement in migration.statements(connection.dialect) {
                    try connection.execute(statement, [])
                }
                try connection.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    [.integer(Int64(migration.version)), .text(migration.name), .integer(now)])
                applied.append(migration.version)
            }
            return applied
        }
    }
}
