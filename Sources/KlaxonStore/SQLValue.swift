import KlaxonRouting

/// A value bound to a statement parameter or read from a result column.
///
/// PostgreSQL returns every column as text (the store asks for text results); SQLite returns
/// typed values. Readers therefore accept an integer either way.
enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)

    /// `.text`, or `.null` for nil.
    static func text(_ value: String?) -> SQLValue {
        value.map { .text($0) } ?? .null
    }

    /// `.integer`, or `.null` for nil.
    static func integer(_ value: Int64?) -> SQLValue {
        value.map { .integer($0) } ?? .null
    }

    /// `.integer` of an `Int`, or `.null` for nil.
    static func integer(_ value: Int?) -> SQLValue {
        value.map { .integer(Int64($0)) } ?? .null
    }
}

/// One result row: its values in column order.
struct SQLRow: Sendable {
    var values: [SQLValue]
}

/// What the store needs of a database connection. Each implementation owns one connection and is
/// used by one thread at a time (its store holds it inside a `Mutex`).
///
/// SQL is written once for both databases: parameters are `$1`, `$2`, … (PostgreSQL's syntax; the
/// SQLite connection rewrites them to `?1`, `?2`, …), upserts use `ON CONFLICT … DO UPDATE`, and
/// the only dialect difference in the schema is the audit id column (`SQLDialect`).
protocol SQLConnection: AnyObject {
    /// Which database this is, for the few statements that differ.
    var dialect: SQLDialect { get }

    /// Runs one statement; returns the number of rows it inserted, updated or deleted.
    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws(StoreError) -> Int

    /// Runs one query and returns every row.
    func query(_ sql: String, _ parameters: [SQLValue]) throws(StoreError) -> [SQLRow]
}

/// The database behind a connection.
enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// Starts a write transaction. SQLite takes the write lock at once (`IMMEDIATE`), so a
    /// transaction that reads first never fails later on upgrading its lock.
    var begin: String {
        switch self {
        case .sqlite: "BEGIN IMMEDIATE"
        case .postgres: "BEGIN"
        }
    }

    /// The audit table's id column: increasing in insertion order, never reused.
    var auditIDColumn: String {
        switch self {
        case .sqlite: "id INTEGER PRIMARY KEY AUTOINCREMENT"
        case .postgres: "id BIGSERIAL PRIMARY KEY"
        }
    }
}

extension SQLConnection {
    /// Runs `body` inside one transaction: committed when it returns, rolled back when it throws.
    func transaction<Result>(_ body: () throws(StoreError) -> Result) throws(StoreError) -> Result {
        try execute(dialect.begin, [])
        let result: Result
        do {
            result = try body()
            try execute("COMMIT", [])
        } catch {
            // The transaction failed already; a failing rollback (connection gone) adds nothing.
            _ = try? execute("ROLLBACK", [])
            throw error
        }
        return result
    }
}
