/// One header field as received or to be sent: the name keeps its original spelling.
package struct HTTPHeaderField: Sendable, Hashable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// Header fields in wire order, looked up by name without regard to ASCII case.
package struct HTTPHeaders: Sendable, Hashable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fields in the order they were received or added.
    package private(set) var fields: [HTTPHeaderField] = []

    package init() {}

    /// Headers from `(name, value)` pairs, kept in the given order.
    package init(_ pairs: [(String, String)]) {
        fields = pairs.map { HTTPHeaderField(name: $0.0, value: $0.1) }
    }

    package init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    package var count: Int { fields.count }
    package var isEmpty: Bool { fields.isEmpty }

    package func makeIterator() -> IndexingIterator<[HTTPHeaderField]> { fields.makeIterator() }

    /// The first value for `name`, or nil when absent.
    package subscript(_ name: String) -> String? {
        fields.first { HTTPHeaders.namesEqual($0.name, name) }?.value
    }

    /// Every value for `name`, in order.
    package func values(for name: String) -> [String] {
        fields.filter { HTTPHeaders.namesEqual($0.name, name) }.map(\.value)
    }

    /// Whether a field called `name` is present.
    package func contains(_ name: String) -> Bool { self[name] != nil }

    /// Appends a field, keeping any earlier fields of the same name.
    package mutating func add(_ name: String, _ value: String) {
        fields.append(HTTPHeaderField(name: name, value: value))
    }

    /// Replaces every field called `name` with a single one.
    package mutating func set(_ name: String, _ value: String) {
        remove(name)
        add(name, value)
    }

    /// Removes every field called `name`.
    package mutating func remove(_ name: String) {
        fields.removeAll { HTTPHeaders.namesEqual($0.name, name) }
    }

    /// The comma-separated tokens of every `name` field, trimmed and lowercased (e.g. `Connection`).
    package func tokens(for name: String) -> [String] {
        values(for: name).flatMap { $0.split(separator: ",") }
            .map { $0.trimmingASCIIWhitespace().lowercased() }
            .filter { !$0.isEmpty }
    }

    /// Compares header names byte by byte, folding ASCII case only (header names are ASCII tokens).
    package static func namesEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where lowerASCII(a) != lowerASCII(b) {
            return false
        }
        return true
    }

    private static func lowerASCII(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }
}

extension Substring {
    /// This text without leading and trailing spaces and tabs.
    func trimmingASCIIWhitespace() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
