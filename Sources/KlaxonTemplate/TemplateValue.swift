/// A value flowing through a template pipeline, with the Go type it stands for.
package enum TemplateValue: Sendable, Equatable {
    case string(String)
    case float(Double)
    case int(Int64)
    case bool(Bool)
    /// A `map[string]string`: `$labels`, `$externalLabels`.
    case map([String: String])
    /// The template's dot: a struct with named fields in declaration order.
    case record([TemplateField])
    /// A slice (Alertmanager's `.Alerts`), with the methods its Go type has (`Firing`, `Resolved`).
    case list(TemplateList)
    /// Go's invalid value (a nil interface); prints as `<no value>`.
    case noValue

    /// The Go type name, as `%T` and Go's error messages spell it.
    package var goType: String {
        switch self {
        case .string: "string"
        case .float: "float64"
        case .int: "int"
        case .bool: "bool"
        case .map: "map[string]string"
        case .record(let fields):
            "struct { " + fields.map { "\($0.name) \($0.value.goType)" }.joined(separator: "; ") + " }"
        case .list(let list): list.goType
        case .noValue: "<nil>"
        }
    }

    /// What `{{ value }}` and `%v` print.
    package var printed: String {
        switch self {
        case .string(let text): text
        case .float(let value): GoFloatFormat.shortest(value)
        case .int(let value): String(value)
        case .bool(let value): value ? "true" : "false"
        case .map(let map):
            "map[" + map.keys.sorted(by: goLess).map { "\($0):\(map[$0] ?? "")" }.joined(separator: " ") + "]"
        case .record(let fields): "{" + fields.map(\.value.printed).joined(separator: " ") + "}"
        case .list(let list): "[" + list.items.map(\.printed).joined(separator: " ") + "]"
        case .noValue: "<no value>"
        }
    }

    /// Go's truth: false, zero, empty string or map, and nil are false.
    package var isTrue: Bool {
        switch self {
        case .string(let text): !text.isEmpty
        case .float(let value): value != 0
        case .int(let value): value != 0
        case .bool(let value): value
        case .map(let map): !map.isEmpty
        case .record: true
        case .list(let list): !list.items.isEmpty
        case .noValue: false
        }
    }
}

/// A slice value: its elements, its Go type name, and the methods of that type, each already
/// evaluated (they take no arguments), so `.Alerts.Firing` reads like a field.
package struct TemplateList: Sendable, Equatable {
    package var items: [TemplateValue]
    package var goType: String
    package var methods: [TemplateField]

    package init(_ items: [TemplateValue], goType: String = "[]interface {}", methods: [TemplateField] = []) {
        self.items = items
        self.goType = goType
        self.methods = methods
    }
}

/// One named field of the template's data.
package struct TemplateField: Sendable, Equatable {
    package var name: String
    package var value: TemplateValue

    package init(name: String, value: TemplateValue) {
        self.name = name
        self.value = value
    }
}

/// Go orders strings by bytes; Swift's `<` compares Unicode scalars after normalisation.
package func goLess(_ lhs: String, _ rhs: String) -> Bool {
    lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
}
