import KlaxonRuntime

/// The functions alert templates may call: Go's text/template built-ins and Prometheus's helpers.
///
/// Not supported (refused at load): `query`, `first`, `label`, `value`, `strvalue`, `sortByLabel`,
/// `args`, `tmpl`, `graphLink`, `tableLink`, `html`, `js`, `urlquery`, `call`, `slice` — alert
/// templates in Klaxon cannot run queries.
enum TemplateFunctions {
    /// Argument counts: exact, or at least `minimum` when `variadic`.
    private struct Arity {
        var minimum: Int
        var variadic = false
    }

    private static let arities: [String: Arity] = [
        "and": Arity(minimum: 1, variadic: true),
        "or": Arity(minimum: 1, variadic: true),
        "not": Arity(minimum: 1),
        "eq": Arity(minimum: 2, variadic: true),
        "ne": Arity(minimum: 2),
        "lt": Arity(minimum: 2),
        "le": Arity(minimum: 2),
        "gt": Arity(minimum: 2),
        "ge": Arity(minimum: 2),
        "len": Arity(minimum: 1),
        "index": Arity(minimum: 1, variadic: true),
        "print": Arity(minimum: 0, variadic: true),
        "printf": Arity(minimum: 1, variadic: true),
        "println": Arity(minimum: 0, variadic: true),
        "humanize": Arity(minimum: 1),
        "humanize1024": Arity(minimum: 1),
        "humanizeDuration": Arity(minimum: 1),
        "humanizePercentage": Arity(minimum: 1),
        "humanizeTimestamp": Arity(minimum: 1),
        "toUpper": Arity(minimum: 1),
        "toLower": Arity(minimum: 1),
        "title": Arity(minimum: 1),
        "match": Arity(minimum: 2),
        "reReplaceAll": Arity(minimum: 3),
        "stripPort": Arity(minimum: 1),
        "safeHtml": Arity(minimum: 1),
        "externalURL": Arity(minimum: 0),
        "pathPrefix": Arity(minimum: 0),
    ]

    /// Every supported function name, sorted, for error messages and docs.
    static let supported: [String] = arities.keys.sorted()

    static func isKnown(_ name: String) -> Bool { arities[name] != nil }

    /// Refuses a call with the wrong number of arguments when the template is loaded.
    static func checkArity(_ name: String, count: Int, name template: String, at position: TemplatePosition)
        throws(TemplateError)
    {
        guard let arity = arities[name] else { return }
        let fits = arity.variadic ? count >= arity.minimum : count == arity.minimum
        guard !fits else { return }
        let want = arity.variadic ? "at least \(arity.minimum)" : "\(arity.minimum)"
        throw TemplateError(
            .parse, template: template, position: position,
            message: "wrong number of args for \(name): want \(want) got \(count)")
    }

    // MARK: - Calls

    /// A failed call: the message Go's function would return.
    struct CallError: Error {
        var message: String
    }

    /// Calls an eagerly evaluated function (everything but `and` and `or`).
    static func call(_ name: String, _ arguments: [TemplateValue], data: TemplateData) throws(CallError)
        -> TemplateValue
    {
        // The parser already checked counts; checking again keeps argument indexing safe.
        guard let arity = arities[name],
            arity.variadic ? arguments.count >= arity.minimum : arguments.count == arity.minimum
        else {
            throw CallError(message: "wrong number of args for \(name): got \(arguments.count)")
        }
        let result = try callUnbounded(name, arguments, data: data)
        // Intermediate strings are bounded like the output, so nested calls cannot multiply memory.
        if case .string(let text) = result, text.utf8.count > Template.maxOutput {
            throw CallError(message: "result is longer than \(Template.maxOutput) bytes")
        }
        return result
    }

    private static func callUnbounded(_ name: String, _ arguments: [TemplateValue], data: TemplateData)
        throws(CallError) -> TemplateValue
    {
        switch name {
        case "not": return .bool(!(arguments.first?.isTrue ?? false))
        case "eq", "ne", "lt", "le", "gt", "ge": return .bool(try GoCompare.compare(name, arguments))
        case "len": return try length(arguments[0])
        case "index": return try index(arguments)
        case "print": return .string(printed(arguments))
        case "println": return .string(arguments.map(\.printed).joined(separator: " ") + "\n")
        case "printf":
            guard case .string(let format) = arguments[0] else { throw wrongType("string", arguments[0]) }
            return .string(GoPrintf.format(format, Array(arguments.dropFirst())))
        case "humanize": return .string(Humanize.humanize(try float(arguments[0])))
        case "humanize1024": return .string(Humanize.humanize1024(try float(arguments[0])))
        case "humanizeDuration": return .string(Humanize.duration(try float(arguments[0])))
        case "humanizePercentage": return .string(Humanize.percentage(try float(arguments[0])))
        case "humanizeTimestamp":
            let value = try float(arguments[0])
            guard let text = Humanize.timestamp(value) else {
                throw CallError(
                    message:
                        "\(GoFloatFormat.shortest(value)) cannot be represented as a nanoseconds timestamp"
                        + " since it overflows int64"
                )
            }
            return .string(text)
        case "toUpper": return .string(GoStrings.upper(try string(arguments[0])))
        case "toLower": return .string(GoStrings.lower(try string(arguments[0])))
        case "title": return .string(GoStrings.title(try string(arguments[0])))
        case "stripPort": return .string(GoStrings.stripPort(try string(arguments[0])))
        case "safeHtml": return .string(try string(arguments[0]))
        case "match": return .bool(try GoRegex.matches(try string(arguments[0]), try string(arguments[1])))
        case "reReplaceAll":
            return .string(
                try GoRegex.replaceAll(
                    try string(arguments[0]), template: try string(arguments[1]), in: try string(arguments[2])))
        case "externalURL": return .string(data.externalURL)
        case "pathPrefix": return .string(GoStrings.urlPath(data.externalURL))
        default: throw CallError(message: "function \(name) is not callable here")
        }
    }

    /// `print`: spaces only between operands when neither side is a string, as `fmt.Sprint`.
    private static func printed(_ arguments: [TemplateValue]) -> String {
        var out = ""
        for (offset, argument) in arguments.enumerated() {
            if offset > 0, !isString(argument), !isString(arguments[offset - 1]) { out += " " }
            out += argument.printed
        }
        return out
    }

    private static func isString(_ value: TemplateValue) -> Bool {
        if case .string = value { return true }
        return false
    }

    private static func length(_ value: TemplateValue) throws(CallError) -> TemplateValue {
        switch value {
        case .string(let text): return .int(Int64(text.utf8.count))
        case .map(let map): return .int(Int64(map.count))
        case .list(let list): return .int(Int64(list.items.count))
        default: throw CallError(message: "len of type \(value.goType)")
        }
    }

    private static func index(_ arguments: [TemplateValue]) throws(CallError) -> TemplateValue {
        var current = arguments[0]
        for key in arguments.dropFirst() {
            switch (current, key) {
            case (.map(let map), .string(let name)): current = .string(map[name] ?? "")
            case (.map, _): throw CallError(message: "value has type \(key.goType); should be string")
            case (.list(let list), .int(let offset)):
                guard offset >= 0, offset < list.items.count else {
                    throw CallError(message: "index out of range: \(offset)")
                }
                current = list.items[Int(offset)]
            case (.string(let text), .int(let offset)):
                let bytes = Array(text.utf8)
                guard offset >= 0, offset < bytes.count else {
                    throw CallError(message: "index out of range: \(offset)")
                }
                current = .int(Int64(bytes[Int(offset)]))
            default: throw CallError(message: "can't index item of type \(current.goType)")
            }
        }
        return current
    }

    /// Prometheus's `convertToFloat`: numbers as they are, strings parsed.
    static func float(_ value: TemplateValue) throws(CallError) -> Double {
        switch value {
        case .float(let number): return number
        case .int(let number): return Double(number)
        case .string(let text):
            guard let number = GoStrings.parseFloat(text) else {
                throw CallError(
                    message: "strconv.ParseFloat: parsing \(GoQuote.quote(text, delimiter: "\"")): invalid syntax")
            }
            return number
        default: throw CallError(message: "can't convert \(value.goType) to float")
        }
    }

    private static func string(_ value: TemplateValue) throws(CallError) -> String {
        guard case .string(let text) = value else { throw wrongType("string", value) }
        return text
    }

    private static func wrongType(_ expected: String, _ value: TemplateValue) -> CallError {
        CallError(message: "wrong type for value; expected \(expected); got \(value.goType)")
    }
}
