import KlaxonMetrics

/// Turns the `samples[]` of a JSON push into families, checking each sample and the batch as a whole.
struct JSONPushFamilyBuilder {
    /// HELP for a family none of whose samples gave one, so `/metrics` passes `promtool check metrics`.
    static let defaultHelp = "Pushed to Klaxon through /api/v1/push."

    private(set) var families: [ParsedFamily] = []
    private var familyIndex: [String: Int] = [:]
    /// Families still carrying `defaultHelp`; a later sample's own help replaces it.
    private var defaultedHelp: Set<Int> = []
    /// Where each family's type was first declared, for conflict messages.
    private var typeSource: [String: (type: MetricType, field: String)] = [:]
    private var seriesSource: [Labels: String] = [:]

    mutating func add(_ value: JSONValue, field: String, common: [Label]) throws(JSONPushError) {
        guard case .object(let members) = value else {
            throw JSONPushError(
                .invalid, field: field, "expected an object with \"name\" and \"value\", got \(value.excerpt)")
        }
        try JSONPushBatch.checkKeys(members, allowed: JSONPushBatch.sampleKeys, field: field)
        let name = try Self.name(value["name"], field: field)
        var labels =
            try value["labels"].map { (labels) throws(JSONPushError) in
                try JSONPushBatch.labels(labels, field: "\(field).labels")
            } ?? []
        labels.append(contentsOf: common)
        let sample = ParsedSample(
            name: name, labels: Labels(labels), value: try Self.number(value["value"], field: "\(field).value"),
            timestamp: try value["timestamp"].map { (stamp) throws(JSONPushError) in
                try Self.timestamp(stamp, field: "\(field).timestamp")
            })
        let type = try Self.type(value["type"], field: "\(field).type")
        let help = try value["help"].map { (help) throws(JSONPushError) -> String in
            guard case .string(let text) = help, text.utf8.count <= 4096 else {
                throw JSONPushError(
                    .invalid, field: "\(field).help", "expected a string of at most 4096 bytes, got \(help.excerpt)")
            }
            return text
        }
        let identity = sample.seriesLabels
        if let first = seriesSource[identity] {
            throw JSONPushError(
                .conflict, field: field,
                "series \(identity) appears twice in the batch (first at \(first)); send each series once")
        }
        seriesSource[identity] = field
        try record(type: type, name: name, field: field)
        if let index = familyIndex[name] {
            families[index].samples.append(sample)
            if let help, defaultedHelp.remove(index) != nil { families[index].help = help }
            if let type { families[index].type = type }
        } else {
            if help == nil { defaultedHelp.insert(families.count) }
            familyIndex[name] = families.count
            families.append(
                ParsedFamily(name: name, type: type ?? .untyped, help: help ?? Self.defaultHelp, samples: [sample]))
        }
    }

    /// Keeps one type per name: an explicit type must agree with earlier explicit ones.
    private mutating func record(type: MetricType?, name: String, field: String) throws(JSONPushError) {
        guard let type else { return }
        if let earlier = typeSource[name], earlier.type != type {
            throw JSONPushError(
                .conflict, field: "\(field).type",
                "\"\(type.rawValue)\" conflicts with \"\(earlier.type.rawValue)\" given for \(name) at \(earlier.field); "
                    + "one name has one type")
        }
        if typeSource[name] == nil { typeSource[name] = (type, field + ".type") }
    }

    // MARK: - Fields

    private static func name(_ value: JSONValue?, field: String) throws(JSONPushError) -> String {
        guard let value else { throw JSONPushError(.invalid, field: "\(field).name", "is required") }
        guard case .string(let name) = value else {
            throw JSONPushError(.invalid, field: "\(field).name", "expected a string, got \(value.excerpt)")
        }
        guard MetricNames.isValidMetricName(name) else {
            throw JSONPushError(
                .invalid, field: "\(field).name", "invalid metric name \(value.excerpt); use [a-zA-Z_:][a-zA-Z0-9_:]*")
        }
        return name
    }

    static func number(_ value: JSONValue?, field: String) throws(JSONPushError) -> Double {
        guard let value else { throw JSONPushError(.invalid, field: field, "is required") }
        switch value {
        case .number(let number, _): return number
        case .string("NaN"): return .nan
        case .string("+Inf"), .string("Inf"): return .infinity
        case .string("-Inf"): return -.infinity
        default:
            throw JSONPushError(
                .invalid, field: field, "expected a number (or \"NaN\", \"+Inf\", \"-Inf\"), got \(value.excerpt)")
        }
    }

    private static func timestamp(_ value: JSONValue, field: String) throws(JSONPushError) -> Int64 {
        guard case .number(let number, let text) = value, number.rounded() == number,
            number >= JSONPushBatch.smallestTimestamp, number < 1e15
        else {
            var message = "expected integer Unix milliseconds, got \(value.excerpt)"
            if case .number(let number, _) = value, number > 0, number < JSONPushBatch.smallestTimestamp {
                message += " (this looks like seconds; multiply by 1000)"
            }
            throw JSONPushError(.invalid, field: field, message)
        }
        // The text is an integer below 10^15 here, so it converts exactly.
        return Int64(text) ?? Int64(number)
    }

    private static func type(_ value: JSONValue?, field: String) throws(JSONPushError) -> MetricType? {
        guard let value else { return nil }
        let names = JSONPushBatch.allowedTypes.map(\.rawValue)
        guard case .string(let name) = value, let type = MetricType(rawValue: name),
            JSONPushBatch.allowedTypes.contains(type)
        else {
            throw JSONPushError(
                .invalid, field: field, "expected one of \(names.joined(separator: ", ")), got \(value.excerpt)")
        }
        return type
    }
}
