import KlaxonHTTP
import KlaxonMetrics
import KlaxonRuntime

/// Builds one JSON object as text, member by member; keys and strings are escaped as Go's
/// `encoding/json` escapes them (`<`, `>`, `&` too), so answers read byte for byte as the peers'.
struct JSONObjectWriter {
    private var text = "{"
    private var empty = true

    init() {}

    /// The object, closed.
    var json: String { text + "}" }

    private mutating func key(_ name: String) {
        if !empty { text += "," }
        empty = false
        JSONString.append(name, to: &text, htmlSafe: true)
        text += ":"
    }

    mutating func string(_ name: String, _ value: String) {
        key(name)
        JSONString.append(value, to: &text, htmlSafe: true)
    }

    /// A string, or `null` when nil.
    mutating func string(_ name: String, _ value: String?) {
        key(name)
        if let value { JSONString.append(value, to: &text, htmlSafe: true) } else { text += "null" }
    }

    /// A whole number, or `null` when nil.
    mutating func number(_ name: String, _ value: Int64?) {
        key(name)
        text += value.map { String($0) } ?? "null"
    }

    mutating func bool(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    /// RFC 3339 with milliseconds, or `null` when nil.
    mutating func time(_ name: String, _ milliseconds: Int64?) {
        string(name, milliseconds.map(APITime.format))
    }

    /// Already-encoded JSON.
    mutating func raw(_ name: String, _ json: String) {
        key(name)
        text += json
    }

    /// An array of strings.
    mutating func strings(_ name: String, _ values: [String]) {
        raw(name, APIJSON.array(values.map { JSONString.quoted($0, htmlSafe: true) }))
    }

    /// A label set as an object of name to value.
    mutating func labels(_ name: String, _ labels: some Sequence<Label>) {
        var object = JSONObjectWriter()
        for label in labels { object.string(label.name, label.value) }
        raw(name, object.json)
    }
}

/// Prometheus's response envelope for the v1 alerting API.
enum APIJSON {
    /// `[a,b,…]` from already-encoded elements.
    static func array(_ elements: [String]) -> String {
        "[" + elements.joined(separator: ",") + "]"
    }

    /// `{"status":"success","data":DATA}` with status 200 (or `status`).
    static func success(_ data: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse.json(Array("{\"status\":\"success\",\"data\":\(data)}".utf8), status: status)
    }
}
