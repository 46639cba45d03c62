/// A YAML document that could not be read: where, and a sentence saying what was wrong.
package struct YAMLError: Error, Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var line: Int
    package var column: Int
    package var message: String

    package init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    package init(file: String, at mark: Mark, _ message: String) {
        self.init(file: file, line: mark.line, column: mark.column, message: message)
    }

    /// `klaxon.yml:12:5: duplicate key "listen"`
    package var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Bounds on what the parser accepts, so a hostile file cannot exhaust memory or the stack.
package struct YAMLLimits: Sendable, Hashable {
    /// Largest accepted document, in bytes.
    package var maxBytes: Int
    /// Deepest accepted nesting of collections.
    package var maxDepth: Int

    package init(maxBytes: Int = 4 << 20, maxDepth: Int = 64) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
    }

    /// 4 MiB, 64 levels.
    package static let `default` = YAMLLimits()
}
