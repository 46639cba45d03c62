/// Go text/template's comparison functions with Go 1.19's rules: operands must share a basic
/// kind (`gt $value 10` compares float64 with int and fails; write `10.0`), and `gt`/`ge` are
/// the negations of `le`/`lt`, so NaN compares as Go compares it.
enum GoCompare {
    private enum Kind {
        case bool, int, float, string
    }

    static func compare(_ name: String, _ arguments: [TemplateValue]) throws(TemplateFunctions.CallError) -> Bool {
        switch name {
        case "eq":
            for other in arguments.dropFirst() {
                if try equal(arguments[0], other) { return true }
            }
            return false
        case "ne": return try !equal(arguments[0], arguments[1])
        case "lt": return try less(arguments[0], arguments[1])
        case "le": return try lessOrEqual(arguments[0], arguments[1])
        case "gt": return try !lessOrEqual(arguments[0], arguments[1])
        default: return try !less(arguments[0], arguments[1])
        }
    }

    private static func kind(_ value: TemplateValue) -> Kind? {
        switch value {
        case .bool: .bool
        case .int: .int
        case .float: .float
        case .string: .string
        case .map, .record, .list, .noValue: nil
        }
    }

    private static func equal(_ lhs: TemplateValue, _ rhs: TemplateValue) throws(TemplateFunctions.CallError) -> Bool {
        guard kind(lhs) == kind(rhs) else { throw .init(message: "incompatible types for comparison") }
        guard kind(lhs) != nil else { throw .init(message: "non-comparable types \(lhs.goType) and \(rhs.goType)") }
        switch (lhs, rhs) {
        case (.bool(let a), .bool(let b)): return a == b
        case (.int(let a), .int(let b)): return a == b
        case (.float(let a), .float(let b)): return a == b
        case (.string(let a), .string(let b)): return Array(a.utf8) == Array(b.utf8)
        default: return false
        }
    }

    private static func less(_ lhs: TemplateValue, _ rhs: TemplateValue) throws(TemplateFunctions.CallError) -> Bool {
        guard let left = kind(lhs), let right = kind(rhs), left != .bool, right != .bool else {
            throw .init(message: "invalid type for comparison")
        }
        guard left == right else { throw .init(message: "incompatible types for comparison") }
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b
        case (.float(let a), .float(let b)): return a < b
        case (.string(let a), .string(let b)): return goLess(a, b)
        default: return false
        }
    }

    private static func lessOrEqual(_ lhs: TemplateValue, _ rhs: TemplateValue) throws(TemplateFunctions.CallError)
        -> Bool
    {
        if try less(lhs, rhs) { return true }
        return try equal(lhs, rhs)
    }
}
