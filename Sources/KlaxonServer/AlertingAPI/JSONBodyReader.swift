import KlaxonIngest

/// Reads the members of one JSON object of a request body, naming each problem by its path
/// (`silence.matchers[1].name: …`). A `null` member counts as absent, as Go's decoders read it.
struct JSONBodyReader {
    /// Where the object sits, e.g. `silence` or `silence.matchers[0]`.
    let path: String
    private let members: [(key: String, value: JSONValue)]

    /// Parses `body` as one JSON object of at most `maxBytes`; with `allowedKeys`, any other key
    /// is an error (a typo is never ignored); without, unknown keys are skipped.
    static func parse(
        _ body: [UInt8], path: String, maxBytes: Int, allowedKeys: [String]?
    ) throws(APIError) -> JSONBodyReader {
        guard !body.isEmpty else {
            throw .badData("\(path): the request body is empty; send a JSON object")
        }
        guard body.count <= maxBytes else {
            throw .badData("\(path): the request body is \(body.count) bytes; the limit is \(maxBytes)")
        }
        let value: JSONValue
        do {
            value = try JSONParser(maxBytes: maxBytes, maxDepth: 16).parse(body)
        } catch {
            throw .badData("\(path): \(error.description)")
        }
        return try JSONBodyReader(value, path: path, allowedKeys: allowedKeys)
    }

    /// Reads `value`, which must be an object.
    init(_ value: JSONValue, path: String, allowedKeys: [String]?) throws(APIError) {
        guard case .object(let members) = value else {
            throw .badData("\(path): expected a JSON object, got \(value.kind)")
        }
        var seen: Set<String> = []
        for member in members {
            guard seen.insert(member.key).inserted else {
                throw .badData("\(path).\(member.key): given more than once")
            }
            if let allowedKeys, !allowedKeys.contains(member.key) {
                throw .badData(
                    "\(path): unknown field \(JSONValue.string(member.key).excerpt); allowed: "
                        + allowedKeys.joined(separator: ", "))
            }
        }
        self.path = path
        self.members = members
    }

    /// The member `key`, nil when absent or null.
    subscript(key: String) -> JSONValue? {
        guard let value = members.first(where: { $0.key == key })?.value else { return nil }
        if case .null = value { return nil }
        return value
    }

    /// A string member of at most `maxLength` bytes; nil when absent.
    func string(_ key: String, maxLength: Int) throws(APIError) -> String? {
        guard let value = self[key] else { return nil }
        guard case .string(let text) = value else {
            throw .badData("\(path).\(key): expected a string, got \(value.excerpt)")
        }
        guard text.utf8.count <= maxLength else {
            throw .badData("\(path).\(key): \(text.utf8.count) bytes long; the limit is \(maxLength)")
        }
        return text
    }

    /// A string member that must be present and not empty.
    func requiredString(_ key: String, maxLength: Int, hint: String) throws(APIError) -> String {
        guard let text = try string(key, maxLength: maxLength), !text.isEmpty else {
            throw .badData("\(path).\(key): missing; \(hint)")
        }
        return text
    }

    /// A boolean member; nil when absent.
    func bool(_ key: String) throws(APIError) -> Bool? {
        guard let value = self[key] else { return nil }
        guard case .bool(let flag) = value else {
            throw .badData("\(path).\(key): expected true or false, got \(value.excerpt)")
        }
        return flag
    }

    /// An RFC 3339 time member (Unix ms); nil when absent.
    func time(_ key: String) throws(APIError) -> Int64? {
        guard let text = try string(key, maxLength: 64) else { return nil }
        guard let time = APITime.parseRFC3339(text) else {
            throw .badData(
                "\(path).\(key): \(JSONValue.string(text).excerpt) is not an RFC 3339 time; "
                    + "write e.g. 2026-01-01T09:30:00Z or 2026-01-01T09:30:00.000+02:00")
        }
        return time
    }

    /// An array member of at most `maxCount` elements; nil when absent.
    func array(_ key: String, maxCount: Int) throws(APIError) -> [JSONValue]? {
        guard let value = self[key] else { return nil }
        guard case .array(let elements) = value else {
            throw .badData("\(path).\(key): expected an array, got \(value.excerpt)")
        }
        guard elements.count <= maxCount else {
            throw .badData("\(path).\(key): \(elements.count) elements; the limit is \(maxCount)")
        }
        return elements
    }
}
