import KlaxonMetrics

/// Decodes a Pushgateway protobuf push body: varint-delimited `io.prometheus.client.MetricFamily`
/// messages (client_model's metrics.proto), as the Go client's `push` package sends them.
///
/// Each family becomes the `ParsedFamily` the text parser would produce from the text the Pushgateway
/// shows for it: a summary's quantiles, `_sum` and `_count`; a histogram's buckets (with a `+Inf`
/// bucket added from the sample count when absent, as expfmt adds it), `_sum` and `_count`; `le` and
/// `quantile` values written as Go writes floats. A later family with the name of an earlier one
/// replaces it, as in the Pushgateway. Refused, with the family named: timestamps, metrics without
/// the value their family's type needs, duplicate or invalid label names, an explicit `le`/`quantile`,
/// gauge histograms and native histogram fields. Unknown fields are skipped, as protobuf requires;
/// a known field with the wrong wire type is refused. Exemplars and created timestamps are dropped
/// (the text format 0.0.4 the Pushgateway exposes has neither).
package struct ProtobufFamilyDecoder: Sendable {
    /// Bodies larger than this many bytes are refused.
    package var sizeLimit: Int
    /// Labels set on every sample, replacing a label of the same name (an empty value removes it), as
    /// the Pushgateway sets the grouping labels.
    package var labelOverrides: [Label]

    /// The media type parameters that mark a body as delimited `MetricFamily` messages.
    package static let contentType =
        "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited"

    package init(sizeLimit: Int = TextFormatParser.defaultSizeLimit, labelOverrides: [Label] = []) {
        self.sizeLimit = sizeLimit
        self.labelOverrides = labelOverrides
    }

    /// Decodes a whole body.
    package func decode(_ bytes: [UInt8]) throws(ProtobufDecodeError) -> [ParsedFamily] {
        try bytes.withUnsafeBufferPointer { (buffer) throws(ProtobufDecodeError) -> [ParsedFamily] in
            try decode(buffer)
        }
    }

    /// Decodes a whole body, reading the caller's buffer in place.
    package func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws(ProtobufDecodeError) -> [ParsedFamily] {
        guard bytes.count <= sizeLimit else {
            throw ProtobufDecodeError("the body is \(bytes.count) bytes, more than the limit of \(sizeLimit)", at: 0)
        }
        var state = ProtobufDecoderState(overrides: Labels.sortedUnique(labelOverrides))
        var stream = ProtobufReader(bytes, range: 0..<bytes.count)
        while !stream.atEnd {
            let message = try stream.message(what: "the MetricFamily message")
            try state.family(message)
        }
        return state.families.filter { !$0.samples.isEmpty }
    }
}

/// The mutable core of one decode: the families so far and scratch space reused for every metric.
struct ProtobufDecoderState {
    let overrides: [Label]
    var families: [ParsedFamily] = []
    var indexByName: [String: Int] = [:]
    /// The metric being read: its labels as sent, and a summary's quantiles or a histogram's buckets.
    var labels: [Label] = []
    var points: [(bound: Double, value: Double)] = []

    init(overrides: [Label]) {
        self.overrides = overrides
        labels.reserveCapacity(16)
        points.reserveCapacity(16)
    }

    /// The family's wire type code, as metrics.proto's `MetricType` numbers it.
    enum FamilyType: UInt64 {
        case counter = 0
        case gauge = 1
        case summary = 2
        case untyped = 3
        case histogram = 4
        case gaugeHistogram = 5
    }

    // MARK: - MetricFamily

    /// One `MetricFamily`: name, help and type first (they may come after the metrics), then the metrics.
    mutating func family(_ message: ProtobufReader) throws(ProtobufDecodeError) {
        var name: String?
        var help: String?
        var typeCode: UInt64 = 0
        var typeOffset = message.position
        var header = message
        while let (field, wire) = try header.nextField() {
            switch field {
            case 1:
                try header.expect(wire, .lengthDelimited, field: "MetricFamily.name")
                name = try header.string(what: "MetricFamily.name")
            case 2:
                try header.expect(wire, .lengthDelimited, field: "MetricFamily.help")
                help = try header.string(what: "the help of family \(name ?? "")")
            case 3:
                try header.expect(wire, .varint, field: "MetricFamily.type")
                typeOffset = header.position
                typeCode = try header.varint()
            default:
                try header.skip(wire, field: field)
            }
        }
        guard let name, !name.isEmpty else {
            throw ProtobufDecodeError(
                "a MetricFamily has no name; every family needs one", at: message.position, malformed: false)
        }
        guard let type = FamilyType(rawValue: typeCode) else {
            throw ProtobufDecodeError(
                "family \"\(name)\" has unknown type \(typeCode); allowed are COUNTER, GAUGE, SUMMARY, UNTYPED, "
                    + "HISTOGRAM", at: typeOffset, malformed: false)
        }
        if type == .gaugeHistogram {
            throw ProtobufDecodeError(
                "family \"\(name)\" is a GAUGE_HISTOGRAM, which the Pushgateway API does not expose; "
                    + "push it as a HISTOGRAM or a GAUGE", at: typeOffset, malformed: false)
        }
        var family = ParsedFamily(name: name, type: Self.metricType(type), help: help)
        let names = SampleNames(family: name)
        var body = message
        while let (field, wire) = try body.nextField() {
            guard field == 4 else {
                try body.skip(wire, field: field)
                continue
            }
            try body.expect(wire, .lengthDelimited, field: "MetricFamily.metric")
            let metric = try body.message(what: "a metric of family \(name)")
            try self.metric(metric, type: type, names: names, into: &family)
        }
        if let existing = indexByName[name] {
            families[existing] = family
        } else {
            indexByName[name] = families.count
            families.append(family)
        }
    }

    private static func metricType(_ type: FamilyType) -> MetricType {
        switch type {
        case .counter: .counter
        case .gauge: .gauge
        case .summary: .summary
        case .untyped, .gaugeHistogram: .untyped
        case .histogram: .histogram
        }
    }

    /// The sample names of one family, built once.
    struct SampleNames {
        let plain: String
        let bucket: String
        let sum: String
        let count: String

        init(family: String) {
            plain = family
            bucket = family + "_bucket"
            sum = family + "_sum"
            count = family + "_count"
        }
    }
}
