import KlaxonMetrics

/// A decoded and validated `POST /api/v1/push` body.
///
/// ```json
/// {"job": "engine", "labels": {"env": "prod"},
///  "samples": [{"name": "fills_total", "labels": {"venue": "x"}, "value": 3, "type": "counter",
///               "help": "Fills.", "timestamp": 1767225600000}]}
/// ```
/// `job` (optional) names the producer: its series form one owner that expires after the job's
/// `stale_after`, and every sample gets `job="<job>"`. `labels` (optional) are set on every sample,
/// overriding a sample's own label of the same name. Per sample: `name` (required), `labels`,
/// `value` (a JSON number or the strings `"NaN"`, `"+Inf"`, `"-Inf"`), `timestamp` (optional,
/// integer Unix **milliseconds**; the receive time when absent), `type` (`gauge`, `counter` or
/// `untyped`, the default; untyped samples of a stored family take its type), `help`.
/// Unknown fields are refused. The batch is refused whole on the first problem, with the field.
package struct JSONPushBatch: Sendable, Equatable {
    /// The `job` field, if any.
    package var job: String?
    /// The samples grouped into families by name, in first-appearance order.
    package var families: [ParsedFamily]
    /// The number of samples.
    package var sampleCount: Int

    /// Limits applied while decoding.
    package struct Limits: Sendable, Equatable {
        package var maxBytes: Int
        package var maxSamples: Int

        /// 16 MiB and 100 000 samples by default.
        package init(maxBytes: Int = 16 << 20, maxSamples: Int = 100_000) {
            self.maxBytes = maxBytes
            self.maxSamples = maxSamples
        }
    }

    static let topLevelKeys = ["job", "labels", "samples"]
    static let sampleKeys = ["name", "labels", "value", "timestamp", "type", "help"]
    static let allowedTypes: [MetricType] = [.gauge, .counter, .untyped]
    /// Timestamps below this (1973 in milliseconds) are almost surely seconds.
    static let smallestTimestamp: Double = 100_000_000_000

    /// Decodes and validates `bytes`; throws the first problem found, naming its field.
    package init(decoding bytes: [UInt8], limits: Limits = Limits()) throws(JSONPushError) {
        guard bytes.count <= limits.maxBytes else {
            throw JSONPushError(
                .tooLarge, field: nil,
                "the body is \(bytes.count) bytes, more than the limit of \(limits.maxBytes) bytes")
        }
        let root: JSONValue
        do {
            root = try JSONParser(maxBytes: limits.maxBytes).parse(bytes)
        } catch {
            throw JSONPushError(.syntax, field: nil, error.description)
        }
        guard case .object(let members) = root else {
            throw JSONPushError(.invalid, field: nil, "expected an object with a \"samples\" array, got \(root.kind)")
        }
        try Self.checkKeys(members, allowed: Self.topLevelKeys, field: nil)
        var common: [Label] = []
        if let jobValue = root["job"] {
            guard case .string(let job) = jobValue, !job.isEmpty else {
                throw JSONPushError(.invalid, field: "job", "expected a non-empty string, got \(jobValue.excerpt)")
            }
            self.job = job
        }
        if let labels = root["labels"] { common = try Self.labels(labels, field: "labels") }
        if let job { common.append(Label("job", job)) }
        guard let samplesValue = root["samples"] else {
            throw JSONPushError(.invalid, field: "samples", "is required: an array of {\"name\", \"value\"} objects")
        }
        guard case .array(let samples) = samplesValue else {
            throw JSONPushError(.invalid, field: "samples", "expected an array, got \(samplesValue.excerpt)")
        }
        guard samples.count <= limits.maxSamples else {
            throw JSONPushError(
                .tooLarge, field: "samples",
                "holds \(samples.count) samples, more than the limit of \(limits.maxSamples) per batch; split the batch"
            )
        }
        var builder = JSONPushFamilyBuilder()
        for (index, sample) in samples.enumerated() {
            try builder.add(sample, field: "samples[\(index)]", common: common)
        }
        families = builder.families
        sampleCount = samples.count
    }

    static func checkKeys(_ members: [(key: String, value: JSONValue)], allowed: [String], field: String?)
        throws(JSONPushError)
    {
        var seen: Set<String> = []
        for member in members {
            guard allowed.contains(member.key) else {
                throw JSONPushError(
                    .invalid, field: field,
                    "unknown field \"\(member.key.prefix(40))\"; allowed: \(allowed.joined(separator: ", "))")
            }
            guard seen.insert(member.key).inserted else {
                throw JSONPushError(.invalid, field: field.map { "\($0).\(member.key)" } ?? member.key, "appears twice")
            }
        }
    }

    /// A `{"name": "value"}` object of label strings with valid, unreserved names.
    static func labels(_ value: JSONValue, field: String) throws(JSONPushError) -> [Label] {
        guard case .object(let members) = value else {
            throw JSONPushError(
                .invalid, field: field, "expected an object of label names to strings, got \(value.excerpt)")
        }
        var labels: [Label] = []
        var seen: Set<String> = []
        for member in members {
            let labelField = "\(field).\(member.key.prefix(64))"
            guard MetricNames.isValidLabelName(member.key), !member.key.hasPrefix("__") else {
                throw JSONPushError(
                    .invalid, field: labelField, "invalid label name; use [a-zA-Z_][a-zA-Z0-9_]* not starting with __")
            }
            guard seen.insert(member.key).inserted else {
                throw JSONPushError(.invalid, field: labelField, "appears twice")
            }
            guard case .string(let text) = member.value else {
                throw JSONPushError(.invalid, field: labelField, "expected a string, got \(member.value.excerpt)")
            }
            labels.append(Label(member.key, text))
        }
        return labels
    }
}

/// Why a JSON push batch was refused: the field (`samples[3].value`) and what was wrong.
package struct JSONPushError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The class of problem, for the status code and self-metrics.
    package enum Kind: Sendable, Equatable {
        case syntax
        case invalid
        case conflict
        case tooLarge
    }

    package var kind: Kind
    /// The path of the offending field, nil for the document as a whole.
    package var field: String?
    package var message: String

    package init(_ kind: Kind, field: String?, _ message: String) {
        self.kind = kind
        self.field = field
        self.message = message
    }

    /// `samples[3].value: expected a number, got "abc"`
    package var description: String { field.map { "\($0): \(message)" } ?? message }
}
