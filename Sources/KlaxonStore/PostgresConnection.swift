import CLibPQ
import Foundation
import KlaxonRouting

/// One libpq connection. Every statement goes through `PQexecParams` with text parameters and text
/// results; nothing is ever spliced into SQL.
///
/// Error messages never hold the connection URL, and any text equal to the password is replaced
/// by `***` before it leaves (`PostgresSecret`).
final class PostgresConnection: SQLConnection {
    let dialect = SQLDialect.postgres
    private let handle: OpaquePointer
    private let secret: PostgresSecret

    /// Connects with `url` (`postgres://…` or any libpq connection string).
    ///
    /// Klaxon's own defaults come first so the URL may override them: a 10 s connect timeout and TCP
    /// keepalives, so a vanished server is noticed in about half a minute instead of hanging a write.
    init(url: String) throws(StoreError) {
        secret = PostgresSecret(url: url)
        let settings: [(String, String)] = [
            ("connect_timeout", "10"), ("keepalives", "1"), ("keepalives_idle", "10"),
            ("keepalives_interval", "5"), ("keepalives_count", "3"), ("tcp_user_timeout", "30000"),
            ("application_name", "klaxon"), ("dbname", url), ("client_encoding", "UTF8"),
        ]
        let connection = Self.withCStrings(settings.map(\.0)) { keywords in
            Self.withCStrings(settings.map(\.1)) { values in PQconnectdbParams(keywords, values, 1) }
        }
        guard let connection else { throw StoreError(.unavailable, "cannot connect to PostgreSQL: out of memory") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = secret.scrub(Self.text(PQerrorMessage(connection)).oneLine)
            PQfinish(connection)
            throw StoreError(.unavailable, "cannot connect to PostgreSQL: \(message)")
        }
        // Notices ("relation already exists, skipping") would go to standard error otherwise.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
    }

    deinit {
        PQfinish(handle)
    }

    /// False once the connection broke; the store then opens a new one.
    var isConnected: Bool { PQstatus(handle) == CONNECTION_OK }

    @discardableResult
    func execute(_ sql: String, _ parameters: [SQLValue]) throws(StoreError) -> Int {
        let result = try run(sql, parameters)
        defer { PQclear(result) }
        return Int(Self.text(PQcmdTuples(result))) ?? 0
    }

    func query(_ sql: String, _ parameters: [SQLValue]) throws(StoreError) -> [SQLRow] {
        let result = try run(sql, parameters)
        defer { PQclear(result) }
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        var rows: [SQLRow] = []
        rows.reserveCapacity(Int(rowCount))
        for row in 0..<rowCount {
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) != 0 {
                    values.append(.null)
                } else {
                    values.append(.text(Self.text(PQgetvalue(result, row, column))))
                }
            }
            rows.append(SQLRow(values: values))
        }
        return rows
    }

    // MARK: - Running statements

    private func run(_ sql: String, _ parameters: [SQLValue]) throws(StoreError) -> OpaquePointer {
        let texts: [String?] = parameters.map { parameter in
            switch parameter {
            case .null: nil
            case .integer(let value): String(value)
            case .real(let value): Self.text(value)
            // libpq takes C strings, and PostgreSQL text cannot hold NUL: it would end the value early.
            case .text(let value):
                value.utf8.contains(0) ? value.replacingOccurrences(of: "\0", with: "\u{FFFD}") : value
            }
        }
        let result = Self.withOptionalCStrings(texts) { values in
            PQexecParams(handle, sql, Int32(truncatingIfNeeded: texts.count), nil, values, nil, nil, 0)
        }
        guard let result else {
            throw StoreError(
                isConnected ? .failed : .unavailable,
                "PostgreSQL: \(secret.scrub(Self.text(PQerrorMessage(handle)).oneLine))")
        }
        let status = PQresultStatus(result)
        if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK { return result }
        let state = Self.text(PQresultErrorField(result, Int32(UInt8(ascii: "C"))))
        let message = secret.scrub(Self.text(PQresultErrorMessage(result)).oneLine)
        PQclear(result)
        let kind: StoreError.Kind = !isConnected || Self.isTransient(sqlState: state) ? .unavailable : .failed
        let statement = sql.prefix { $0 != "(" && $0 != "\n" }.prefix(60)
        throw StoreError(kind, "PostgreSQL: \(message)\(state.isEmpty ? "" : " (SQLSTATE \(state))") (in \(statement))")
    }

    /// Connection errors (08), insufficient resources (53), operator intervention such as a shutdown
    /// (57), serialization failures and deadlocks (40001, 40P01): worth retrying later.
    static func isTransient(sqlState: String) -> Bool {
        sqlState.hasPrefix("08") || sqlState.hasPrefix("53") || sqlState.hasPrefix("57") || sqlState == "40001"
            || sqlState == "40P01"
    }

    /// A double as PostgreSQL reads it (`NaN`, `Infinity`, `-Infinity` for the rest).
    private static func text(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        return value.description
    }

    private static func text(_ pointer: UnsafePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    private static func text(_ pointer: UnsafeMutablePointer<CChar>?) -> String {
        pointer.map { String(cString: $0) } ?? ""
    }

    /// Calls `body` with a C array of C strings (nil for a nil element), all in one allocation;
    /// `nullTerminated` adds the NULL entry that `PQconnectdbParams` looks for at the end.
    private static func withOptionalCStrings<Result>(
        _ strings: [String?], nullTerminated: Bool = false, _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> Result
    ) -> Result {
        var total = 1
        for string in strings { total += (string?.utf8.count ?? 0) + 1 }
        let bytes = UnsafeMutablePointer<CChar>.allocate(capacity: total)
        defer { bytes.deallocate() }
        var pointers: [UnsafePointer<CChar>?] = []
        pointers.reserveCapacity(strings.count)
        var offset = 0
        for string in strings {
            guard let string else {
                pointers.append(nil)
                continue
            }
            pointers.append(UnsafePointer(bytes + offset))
            for byte in string.utf8 {
                bytes[offset] = CChar(bitPattern: byte)
                offset += 1
            }
            bytes[offset] = 0
            offset += 1
        }
        if nullTerminated { pointers.append(nil) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
    }

    /// Calls `body` with a NULL-terminated C array of C strings.
    private static func withCStrings<Result>(
        _ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> Result
    ) -> Result {
        withOptionalCStrings(strings.map { $0 }, nullTerminated: true, body)
    }
}

extension String {
    /// libpq's messages span lines ("…failed: Connection refused\n\tIs the server running…");
    /// a log line and an API error hold one line.
    fileprivate var oneLine: String {
        split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            .joined(separator: "; ")
    }
}
