/// A position in a source file: 1-based line and column (columns count characters, not bytes).
package struct Mark: Hashable, Sendable, CustomStringConvertible {
    package var line: Int
    package var column: Int

    package init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    package var description: String { "\(line):\(column)" }
}

/// How a scalar was written, so callers can tell a quoted `"1"` from a plain `1`.
package enum YAMLScalarStyle: Sendable, Hashable {
    case plain
    case singleQuoted
    case doubleQuoted
    case literal
    case folded

    /// True for every style but plain: the text is a string whatever it looks like.
    package var isQuoted: Bool { self != .plain }
}

/// One key/value pair of a mapping, in source order.
package struct YAMLMappingEntry: Sendable, Hashable {
    package var key: String
    package var keyMark: Mark
    package var value: YAMLNode

    package init(key: String, keyMark: Mark, value: YAMLNode) {
        self.key = key
        self.keyMark = keyMark
        self.value = value
    }
}

/// A node of a parsed YAML document, with the position where it starts.
package struct YAMLNode: Sendable, Hashable {
    /// What a node holds.
    package enum Kind: Sendable, Hashable {
        case null
        case scalar(String, YAMLScalarStyle)
        case sequence([YAMLNode])
        case mapping([YAMLMappingEntry])
    }

    package var kind: Kind
    package var mark: Mark

    package init(_ kind: Kind, at mark: Mark) {
        self.kind = kind
        self.mark = mark
    }

    /// The text of a scalar node, nil for anything else.
    package var scalarText: String? {
        if case .scalar(let text, _) = kind { return text }
        return nil
    }

    /// The items of a sequence node, nil for anything else.
    package var sequenceItems: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The entries of a mapping node, nil for anything else.
    package var mappingEntries: [YAMLMappingEntry]? {
        if case .mapping(let entries) = kind { return entries }
        return nil
    }

    /// True for an explicit or implied null (`~`, `null`, an empty value).
    package var isNull: Bool {
        if case .null = kind { return true }
        return false
    }

    /// The value of `key` in a mapping node, nil when absent or when this is not a mapping.
    package subscript(key: String) -> YAMLNode? {
        mappingEntries?.first { $0.key == key }?.value
    }

    /// A short name of the node's kind for error messages ("a mapping", "a sequence", …).
    package var kindDescription: String {
        switch kind {
        case .null: "null"
        case .scalar(_, let style): style.isQuoted ? "a quoted string" : "a scalar"
        case .sequence: "a sequence"
        case .mapping: "a mapping"
        }
    }
}
