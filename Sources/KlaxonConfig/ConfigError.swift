/// Where a value sits in a configuration document: `scrape_configs[1].interval`.
package struct FieldPath: Hashable, Sendable, CustomStringConvertible {
    /// One step of a path: a mapping key or a sequence index.
    package enum Component: Hashable, Sendable {
        case key(String)
        case index(Int)
    }

    package var components: [Component]

    package init(_ components: [Component] = []) {
        self.components = components
    }

    /// The document root (prints as an empty string).
    package static let root = FieldPath()

    package var isRoot: Bool { components.isEmpty }

    /// This path followed by a mapping key.
    package func appending(_ key: String) -> FieldPath {
        FieldPath(components + [.key(key)])
    }

    /// This path followed by a sequence index.
    package func appending(index: Int) -> FieldPath {
        FieldPath(components + [.index(index)])
    }

    package var description: String {
        var text = ""
        for component in components {
            switch component {
            case .key(let key):
                if !text.isEmpty { text += "." }
                text += key
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}

/// One problem in a configuration or rule file: file, line, column, field path and a sentence.
package struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    package var file: String
    package var mark: Mark
    /// The field the problem is about; root for document-level problems.
    package var path: FieldPath
    /// A sentence that already names the field where that helps.
    package var message: String

    package init(file: String, mark: Mark, path: FieldPath, message: String) {
        self.file = file
        self.mark = mark
        self.path = path
        self.message = message
    }

    /// Wraps a parse error of the YAML layer.
    package init(_ error: YAMLError) {
        self.init(
            file: error.file, mark: Mark(line: error.line, column: error.column), path: .root, message: error.message)
    }

    /// `klaxon.yml:12:5: scrape_configs[1].interval: invalid duration "5x"; …`
    package var description: String { "\(file):\(mark.line):\(mark.column): \(message)" }
}

/// Every problem found in one file, reported together so an operator fixes them in one pass.
package struct ConfigErrors: Error, Sendable, Hashable, CustomStringConvertible {
    package var errors: [ConfigError]

    package init(_ errors: [ConfigError]) {
        self.errors = errors
    }

    /// One error per line, in the order they were found.
    package var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Collects the problems of one decoding pass; readers report here and carry on.
///
/// A reference type so every reader of a document shares one list. It is used by one
/// decoding pass on one task and never shared, so it is not `Sendable`.
package final class ConfigDiagnostics {
    /// The file name errors are reported against.
    package let file: String
    /// Expands `${VAR}` in scalar values when set; rule files leave it nil.
    package let expansion: EnvironmentExpansion?
    package private(set) var errors: [ConfigError] = []

    package init(file: String, expansion: EnvironmentExpansion? = nil) {
        self.file = file
        self.expansion = expansion
    }

    /// Records a problem; `message` should name the field (readers prefix the path).
    package func report(_ message: String, at mark: Mark, path: FieldPath) {
        errors.append(ConfigError(file: file, mark: mark, path: path, message: message))
    }

    package var hasErrors: Bool { !errors.isEmpty }

    /// Parses `text` as YAML; a syntax error is recorded and nil returned.
    package func parseDocument(_ text: String, limits: YAMLLimits = .default) -> YAMLNode? {
        parseDocument(bytes: Array(text.utf8), limits: limits)
    }

    /// Parses UTF-8 bytes as YAML; a syntax error is recorded and nil returned.
    package func parseDocument(bytes: [UInt8], limits: YAMLLimits = .default) -> YAMLNode? {
        do {
            return try YAML.parse(bytes: bytes, file: file, limits: limits)
        } catch {
            errors.append(ConfigError(error))
            return nil
        }
    }

    /// A reader over the document root, which must be a mapping (an empty document is an empty mapping).
    package func root(_ node: YAMLNode, allowedKeys: [String]) -> MappingReader? {
        ValueReader(node: node, path: .root, diagnostics: self).mapping(allowedKeys: allowedKeys)
    }

    /// Throws every recorded problem at once.
    package func throwIfFailed() throws(ConfigErrors) {
        if !errors.isEmpty { throw ConfigErrors(errors) }
    }
}
