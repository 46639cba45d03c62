import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting

/// Reads one result row column by column; anything unreadable becomes `StoreError(.corrupt)`
/// naming the table, the row and the column, never a trap.
struct RowReader {
    let row: SQLRow
    let table: String
    /// How the row is named in errors (its id or key); set once the key column is read.
    var rowName: String

    init(_ row: SQLRow, table: String) {
        self.row = row
        self.table = table
        self.rowName = "?"
    }

    /// The error for a bad value in `column`.
    func corrupt(_ column: String, _ problem: String) -> StoreError {
        StoreError(.corrupt, "table \(table) row \(rowName): column \(column) \(problem)")
    }

    private func value(_ index: Int, _ column: String) throws(StoreError) -> SQLValue {
        guard index >= 0, index < row.values.count else { throw corrupt(column, "is missing from the result") }
        return row.values[index]
    }

    /// A non-null integer (PostgreSQL sends it as text).
    func int64(_ index: Int, _ column: String) throws(StoreError) -> Int64 {
        guard let value = try optionalInt64(index, column) else { throw corrupt(column, "is null") }
        return value
    }

    /// An integer or null.
    func optionalInt64(_ index: Int, _ column: String) throws(StoreError) -> Int64? {
        switch try value(index, column) {
        case .null: return nil
        case .integer(let value): return value
        case .text(let text):
            guard let value = Int64(text) else { throw corrupt(column, "is not an integer: \(Self.quote(text))") }
            return value
        case .real(let real):
            guard let value = Int64(exactly: real) else { throw corrupt(column, "is not an integer: \(real)") }
            return value
        }
    }

    /// A non-null integer that fits `Int`.
    func int(_ index: Int, _ column: String) throws(StoreError) -> Int {
        let value = try int64(index, column)
        guard let result = Int(exactly: value) else { throw corrupt(column, "is out of range: \(value)") }
        return result
    }

    /// An integer that fits `Int`, or null.
    func optionalInt(_ index: Int, _ column: String) throws(StoreError) -> Int? {
        guard let value = try optionalInt64(index, column) else { return nil }
        guard let result = Int(exactly: value) else { throw corrupt(column, "is out of range: \(value)") }
        return result
    }

    /// Non-null text.
    func text(_ index: Int, _ column: String) throws(StoreError) -> String {
        guard let value = try optionalText(index, column) else { throw corrupt(column, "is null") }
        return value
    }

    /// Text or null; an integer or real column read as text is printed.
    func optionalText(_ index: Int, _ column: String) throws(StoreError) -> String? {
        switch try value(index, column) {
        case .null: nil
        case .text(let text): text
        case .integer(let value): String(value)
        case .real(let value): String(value)
        }
    }

    /// A value of a `String`-backed enum.
    func enumeration<Value: RawRepresentable>(_ index: Int, _ column: String, as type: Value.Type) throws(StoreError)
        -> Value where Value.RawValue == String
    {
        guard let value = try optionalEnumeration(index, column, as: type) else { throw corrupt(column, "is null") }
        return value
    }

    /// A value of a `String`-backed enum, or null.
    func optionalEnumeration<Value: RawRepresentable>(
        _ index: Int, _ column: String, as type: Value.Type
    ) throws(StoreError) -> Value? where Value.RawValue == String {
        guard let text = try optionalText(index, column) else { return nil }
        guard let value = Value(rawValue: text) else {
            throw corrupt(column, "holds an unknown value \(Self.quote(text))")
        }
        return value
    }

    /// A fingerprint written as 16 hex digits, or null.
    func optionalFingerprint(_ index: Int, _ column: String) throws(StoreError) -> Fingerprint? {
        guard let text = try optionalText(index, column) else { return nil }
        guard let fingerprint = StoreCoding.fingerprint(text) else {
            throw corrupt(column, "is not a fingerprint (16 hex digits): \(Self.quote(text))")
        }
        return fingerprint
    }

    /// A fingerprint written as 16 hex digits.
    func fingerprint(_ index: Int, _ column: String) throws(StoreError) -> Fingerprint {
        guard let value = try optionalFingerprint(index, column) else { throw corrupt(column, "is null") }
        return value
    }

    /// A severity written as `P0` … `P3`, or null.
    func optionalSeverity(_ index: Int, _ column: String) throws(StoreError) -> Severity? {
        guard let text = try optionalText(index, column) else { return nil }
        guard let severity = Severity(name: text) else {
            throw corrupt(column, "is not a severity (P0 … P3): \(Self.quote(text))")
        }
        return severity
    }

    /// A label set stored as a JSON object.
    func labels(_ index: Int, _ column: String) throws(StoreError) -> Labels {
        let text = try text(index, column)
        guard let labels = StoreCoding.decodeLabels(text) else { throw corrupt(column, "is not a JSON label set") }
        return labels
    }

    /// Annotations stored as a JSON array of name/value objects.
    func annotations(_ index: Int, _ column: String) throws(StoreError) -> [Label] {
        let text = try text(index, column)
        guard let pairs = StoreCoding.decodePairs(text) else {
            throw corrupt(column, "is not a JSON list of name/value pairs")
        }
        return pairs
    }

    /// A double stored as text (`StoreCoding.double`).
    func double(_ index: Int, _ column: String) throws(StoreError) -> Double {
        let text = try text(index, column)
        guard let value = Double(text) else { throw corrupt(column, "is not a number: \(Self.quote(text))") }
        return value
    }

    /// At most 64 characters of a stored value, quoted, for an error message.
    static func quote(_ text: String) -> String {
        "\"" + (text.count > 64 ? text.prefix(64) + "…" : text) + "\""
    }
}
