/// Hands out the fields of one mapping by key, with positions and field paths for errors.
///
/// Unknown keys are reported when the reader is made, naming the allowed ones, so a typo such
/// as `intervl` never passes silently. A key whose value is null counts as absent.
package struct MappingReader {
    package let node: YAMLNode
    package let entries: [YAMLMappingEntry]
    package let path: FieldPath
    package let diagnostics: ConfigDiagnostics

    init(
        node: YAMLNode, entries: [YAMLMappingEntry], path: FieldPath, diagnostics: ConfigDiagnostics,
        allowedKeys: [String]
    ) {
        self.node = node
        self.entries = entries
        self.path = path
        self.diagnostics = diagnostics
        let allowed = Set(allowedKeys)
        for entry in entries where !allowed.contains(entry.key) {
            let place = path.isRoot ? "at the top level" : "in \(path)"
            let list = allowedKeys.isEmpty ? "none" : allowedKeys.joined(separator: ", ")
            diagnostics.report(
                "unknown key \"\(entry.key)\" \(place); allowed: \(list)", at: entry.keyMark,
                path: path.appending(entry.key))
        }
    }

    package var mark: Mark { node.mark }

    /// The keys present, in file order.
    package var keys: [String] { entries.map(\.key) }

    /// True when `key` is present with a non-null value.
    package func has(_ key: String) -> Bool { self[key] != nil }

    /// The value of `key`, nil when absent or null.
    package subscript(key: String) -> ValueReader? {
        guard let entry = entries.first(where: { $0.key == key }), !entry.value.isNull else { return nil }
        return ValueReader(node: entry.value, path: path.appending(key), diagnostics: diagnostics)
    }

    /// The position of `key` itself, or of the mapping when the key is absent.
    package func mark(of key: String) -> Mark {
        entries.first { $0.key == key }?.keyMark ?? node.mark
    }

    /// The value of `key`; reports "missing required key" when absent or null.
    package func required(_ key: String) -> ValueReader? {
        if let value = self[key] { return value }
        let place = path.isRoot ? "at the top level" : "in \(path)"
        diagnostics.report("missing required key \"\(key)\" \(place)", at: mark(of: key), path: path.appending(key))
        return nil
    }

    /// Records a problem about this mapping as a whole.
    package func fail(_ message: String) {
        diagnostics.report(path.isRoot ? message : "\(path): \(message)", at: node.mark, path: path)
    }

    /// Records a problem about one key of this mapping, at the key's position.
    package func fail(key: String, _ message: String) {
        let keyPath = path.appending(key)
        diagnostics.report("\(keyPath): \(message)", at: mark(of: key), path: keyPath)
    }

    // MARK: - Typed shortcuts (nil when absent, null or invalid)

    /// `self[key]?.string()`
    package func string(_ key: String) -> String? { self[key]?.string() }
    /// `self[key]?.secretString()`
    package func secretString(_ key: String) -> String? { self[key]?.secretString() }
    /// `self[key]?.int()`
    package func int(_ key: String) -> Int? { self[key]?.int() }
    /// `self[key]?.int(in:)`
    package func int(_ key: String, in range: ClosedRange<Int>) -> Int? { self[key]?.int(in: range) }
    /// `self[key]?.double()`
    package func double(_ key: String) -> Double? { self[key]?.double() }
    /// `self[key]?.bool()`
    package func bool(_ key: String) -> Bool? { self[key]?.bool() }
    /// `self[key]?.durationMilliseconds()`
    package func durationMilliseconds(_ key: String) -> Int64? { self[key]?.durationMilliseconds() }
    /// `self[key]?.oneOf(allowed)`
    package func oneOf(_ key: String, _ allowed: [String]) -> String? { self[key]?.oneOf(allowed) }
    /// `self[key]?.stringList()`
    package func stringList(_ key: String) -> [String]? { self[key]?.stringList() }
    /// `self[key]?.stringMap()`
    package func stringMap(_ key: String) -> [StringMapEntry]? { self[key]?.stringMap() }
    /// `self[key]?.sequence()`
    package func sequence(_ key: String) -> [ValueReader]? { self[key]?.sequence() }
    /// `self[key]?.mapping(allowedKeys:)`
    package func mapping(_ key: String, allowedKeys: [String]) -> MappingReader? {
        self[key]?.mapping(allowedKeys: allowedKeys)
    }
}
