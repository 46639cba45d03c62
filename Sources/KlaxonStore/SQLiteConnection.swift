import CSQLite
import Foundation
import KlaxonRouting

/// One SQLite connection with its prepared statements cached by SQL text.
///
/// Opened in WAL mode with `synchronous=FULL` (a commit is on disk before `apply` returns, so the
/// outbox survives a power loss; see docs/architecture.md) and a busy timeout, so another process
/// holding the write lock makes a write wait instead of failing at once.
final class SQLiteConnection: SQLConnection {
    let dialect = SQLDialect.sqlite
    private let handle: OpaquePointer
    private let path: String
    private var statements: [String: OpaquePointer] = [:]

    /// How long a write waits for another connection's write lock before failing as unavailable.
    static let busyTimeoutMilliseconds: Int32 = 5_000

    /// Opens (creating when missing) the database at `path`, creating its directory first.
    init(path: String) throws(StoreError) {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StoreError(
                .unavailable, "cannot create the data directory \(directory.path) for the SQLite database: \(error)")
        }
        var opened: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &opened, flags, nil)
        guard let opened else {
            throw StoreError(.unavailable, "cannot open SQLite database \(path): out of memory")
        }
        guard code == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(opened))
            sqlite3_close_v2(opened)
            throw StoreError(Self.kind(of: code), "cannot open SQLite database \(path): \(message)")
        }
        handle = opened
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, Self.busyTimeoutMilliseconds)
        let mode = try query("PRAGMA journal_mode=WAL", []).first?.values.first
        guard mode == .text("wal") else {
            throw StoreError(
                .failed, "SQLite database \(path) refused WAL journal mode (got \(String(describing: mode)))")
        }
        try execute("PRAGMA synchronous=FULL", [])
    }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws(StoreError) -> Int {
        let statement = try prepared(sql, parameters)
        defer { sqlite3_reset(statement) }
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return Int(sqlite3_changes(handle)) }
            if code != SQLITE_ROW { throw failure(code, sql) }
        }
    }

    func query(_ sql: String, _ parameters: [SQLValue]) throws(StoreError) -> [SQLRow] {
        let statement = try prepared(sql, parameters)
        defer { sqlite3_reset(statement) }
        var rows: [SQLRow] = []
        let columns = sqlite3_column_count(statement)
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else { throw failure(code, sql) }
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columns))
            for column in 0..<columns {
                values.append(value(statement, column))
            }
            rows.append(SQLRow(values: values))
        }
    }

    // MARK: - Statements

    /// The cached statement for `sql`, reset and bound to `parameters`.
    private func prepared(_ sql: String, _ parameters: [SQLValue]) throws(StoreError) -> OpaquePointer {
        let statement: OpaquePointer
        if let cached = statements[sql] {
            statement = cached
            sqlite3_clear_bindings(statement)
        } else {
            if statements.count >= Self.statementCacheLimit { clearStatementCache() }
            // `$n` is PostgreSQL's parameter syntax; `?n` is SQLite's numbered one. The store's SQL
            // has no `$` anywhere else.
            let text = sql.replacingOccurrences(of: "$", with: "?")
            var made: OpaquePointer?
            let code = sqlite3_prepare_v2(handle, text, -1, &made, nil)
            guard code == SQLITE_OK, let made else { throw failure(code, sql) }
            statements[sql] = made
            statement = made
        }
        for (offset, parameter) in parameters.enumerated() {
            let index = Int32(truncatingIfNeeded: offset + 1)
            let code: Int32
            switch parameter {
            case .null: code = sqlite3_bind_null(statement, index)
            case .integer(let value): code = sqlite3_bind_int64(statement, index, value)
            case .real(let value): code = sqlite3_bind_double(statement, index, value)
            case .text(let value): code = sqlite3_bind_text(statement, index, value, -1, sqliteTransient)
            }
            guard code == SQLITE_OK else { throw failure(code, sql) }
        }
        return statement
    }

    /// Statements kept prepared; multi-row inserts of different sizes each have their own text.
    private static let statementCacheLimit = 128

    private func clearStatementCache() {
        for statement in statements.values { sqlite3_finalize(statement) }
        statements.removeAll()
    }

    private func value(_ statement: OpaquePointer, _ column: Int32) -> SQLValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        default:
            guard let bytes = sqlite3_column_text(statement, column) else { return .null }
            let count = Int(sqlite3_column_bytes(statement, column))
            return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        }
    }

    // MARK: - Errors

    private func failure(_ code: Int32, _ sql: String) -> StoreError {
        let message = String(cString: sqlite3_errmsg(handle))
        let statement = sql.prefix { $0 != "(" && $0 != "\n" }.prefix(60)
        return StoreError(Self.kind(of: code), "SQLite \(path): \(message) (in \(statement))")
    }

    /// Busy, locked, I/O, full-disk and open failures pass, so they are retried; constraint and
    /// misuse errors are the statement's fault; a corrupt file is corrupt.
    static func kind(of code: Int32) -> StoreError.Kind {
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOMEM, SQLITE_READONLY,
            SQLITE_PROTOCOL:
            .unavailable
        case SQLITE_CORRUPT, SQLITE_NOTADB: .corrupt
        default: .failed
        }
    }
}

/// SQLite's `SQLITE_TRANSIENT`: copy the bound text now (the C macro is not imported).
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
