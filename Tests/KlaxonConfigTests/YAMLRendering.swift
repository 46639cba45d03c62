import KlaxonConfig

/// A compact one-line rendering of a node for assertions: plain scalars bare, other styles quoted.
func render(_ node: YAMLNode) -> String {
    switch node.kind {
    case .null:
        return "null"
    case .scalar(let text, let style):
        guard style.isQuoted else { return text }
        var escaped = ""
        for character in text {
            switch character {
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            default: escaped.append(character)
            }
        }
        return "\"\(escaped)\""
    case .sequence(let items):
        return "[" + items.map(render).joined(separator: ", ") + "]"
    case .mapping(let entries):
        return "{" + entries.map { "\($0.key): \(render($0.value))" }.joined(separator: ", ") + "}"
    }
}

/// Parses a test document named `test.yml`.
func parseYAML(_ text: String) throws(YAMLError) -> YAMLNode {
    try YAML.parse(text, file: "test.yml")
}

/// The error a document raises, or nil when it parses.
func yamlError(_ text: String) -> YAMLError? {
    do {
        _ = try YAML.parse(text, file: "test.yml")
        return nil
    } catch {
        return error
    }
}
