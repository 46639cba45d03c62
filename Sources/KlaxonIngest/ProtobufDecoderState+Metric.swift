import KlaxonMetrics

// MARK: - Metric

extension ProtobufDecoderState {
    /// What one `Metric` message carries for its family's type.
    private struct MetricValues {
        var value: Double?
        /// A summary's or histogram's sample count and sum, once its message was seen.
        var count: Double?
        var sum: Double = 0
        var timestamp: Int64?
    }

    /// One `Metric`: its labels, the value its family's type needs, an optional timestamp (kept so the push
    /// path refuses it as it refuses a text timestamp); appended to `family` as sample lines.
    mutating func metric(
        _ message: ProtobufReader, type: FamilyType, names: SampleNames, into family: inout ParsedFamily
    ) throws(ProtobufDecodeError) {
        labels.removeAll(keepingCapacity: true)
        points.removeAll(keepingCapacity: true)
        var reader = message
        var values = MetricValues()
        while let (field, wire) = try reader.nextField() {
            switch (field, type) {
            case (1, _):
                try reader.expect(wire, .lengthDelimited, field: "Metric.label")
                try labelPair(try reader.message(what: "a label of family \(names.plain)"), family: names.plain)
            case (2, .gauge), (3, .counter), (5, .untyped):
                try reader.expect(wire, .lengthDelimited, field: "Metric value")
                values.value = try singleValue(try reader.message(what: "a value of family \(names.plain)"))
            case (4, .summary):
                try reader.expect(wire, .lengthDelimited, field: "Metric.summary")
                try summary(try reader.message(what: "a summary of family \(names.plain)"), into: &values)
            case (7, .histogram):
                try reader.expect(wire, .lengthDelimited, field: "Metric.histogram")
                let read = try histogram(
                    try reader.message(what: "a histogram of family \(names.plain)"), family: names.plain)
                values.count = read.count
                values.sum = read.sum
            case (6, _):
                try reader.expect(wire, .varint, field: "Metric.timestamp_ms")
                values.timestamp = Int64(bitPattern: try reader.varint())
            default:
                try reader.skip(wire, field: field)
            }
        }
        let base = try baseLabels(family: names.plain, type: type, at: message.position)
        let missing: StaticString
        switch type {
        case .counter, .gauge, .untyped:
            guard let value = values.value else {
                missing = type == .counter ? "counter" : type == .gauge ? "gauge" : "untyped"
                break
            }
            family.samples.append(
                ParsedSample(name: names.plain, labels: base, value: value, timestamp: values.timestamp))
            return
        case .summary:
            guard let count = values.count else {
                missing = "summary"
                break
            }
            for point in points {
                family.samples.append(
                    ParsedSample(
                        name: names.plain, labels: Self.adding("quantile", point.bound, to: base), value: point.value,
                        timestamp: values.timestamp))
            }
            appendSumAndCount(names, base, sum: values.sum, count: count, timestamp: values.timestamp, to: &family)
            return
        case .histogram, .gaugeHistogram:
            guard let count = values.count else {
                missing = "histogram"
                break
            }
            var sawInfinity = false
            for point in points {
                sawInfinity = sawInfinity || point.bound == .infinity
                family.samples.append(
                    ParsedSample(
                        name: names.bucket, labels: Self.adding("le", point.bound, to: base), value: point.value,
                        timestamp: values.timestamp))
            }
            if !sawInfinity {
                family.samples.append(
                    ParsedSample(
                        name: names.bucket, labels: Self.adding("le", .infinity, to: base), value: count,
                        timestamp: values.timestamp))
            }
            appendSumAndCount(names, base, sum: values.sum, count: count, timestamp: values.timestamp, to: &family)
            return
        }
        throw ProtobufDecodeError(
            "a metric of family \"\(names.plain)\" has no \(missing) value, which its type needs", at: message.position,
            malformed: false)
    }

    private func appendSumAndCount(
        _ names: SampleNames, _ base: Labels, sum: Double, count: Double, timestamp: Int64?,
        to family: inout ParsedFamily
    ) {
        family.samples.append(ParsedSample(name: names.sum, labels: base, value: sum, timestamp: timestamp))
        family.samples.append(ParsedSample(name: names.count, labels: base, value: count, timestamp: timestamp))
    }

    // MARK: - Labels

    private mutating func labelPair(_ message: ProtobufReader, family: String) throws(ProtobufDecodeError) {
        var reader = message
        var name = ""
        var value = ""
        while let (field, wire) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(wire, .lengthDelimited, field: "LabelPair.name")
                name = try reader.string(what: "a label name of family \(family)")
            case 2:
                try reader.expect(wire, .lengthDelimited, field: "LabelPair.value")
                value = try reader.string(what: "the value of label \(name) of family \(family)")
            default:
                try reader.skip(wire, field: field)
            }
        }
        guard MetricNames.isValidLabelName(name), !name.hasPrefix("__") else {
            throw ProtobufDecodeError(
                "family \"\(family)\" has a metric with invalid label name \"\(name.prefix(120))\"; "
                    + "use [a-zA-Z_][a-zA-Z0-9_]* not starting with __", at: message.position, malformed: false)
        }
        labels.append(Label(name, value))
    }

    /// The metric's labels sorted, checked and with the overrides set (empty values left out).
    private mutating func baseLabels(family: String, type: FamilyType, at offset: Int) throws(ProtobufDecodeError)
        -> Labels
    {
        var index = 1
        while index < labels.count, labels[index - 1].name < labels[index].name { index += 1 }
        if index < labels.count { labels.sort { $0.name < $1.name } }
        for position in labels.indices {
            let name = labels[position].name
            if position > 0 && labels[position - 1].name == name {
                throw ProtobufDecodeError(
                    "family \"\(family)\" has a metric with label \"\(name)\" twice; label names must be unique",
                    at: offset, malformed: false)
            }
            if (type == .summary && name == "quantile") || (type == .histogram && name == "le") {
                throw ProtobufDecodeError(
                    "family \"\(family)\" has a metric with an explicit \"\(name)\" label, which its type reserves",
                    at: offset, malformed: false)
            }
        }
        if labels.isEmpty && overrides.isEmpty { return .empty }
        return Labels(sortedUnchecked: Labels.merge(labels, sortedUniqueOverrides: overrides))
    }

    /// `base` with `name` set to `value` written as the text format writes floats (`0.5`, `1e-05`, `+Inf`).
    static func adding(_ name: String, _ value: Double, to base: Labels) -> Labels {
        var text: [UInt8] = []
        ExpositionNumbers.appendTextFloat(value, to: &text)
        let label = Label(name, String(decoding: text, as: UTF8.self))
        var pairs: [Label] = []
        pairs.reserveCapacity(base.count + 1)
        var inserted = false
        for pair in base {
            if !inserted && pair.name >= name {
                pairs.append(label)
                inserted = true
                if pair.name == name { continue }
            }
            pairs.append(pair)
        }
        if !inserted { pairs.append(label) }
        return Labels(sortedUnchecked: pairs)
    }

    // MARK: - Values

    /// `Gauge`, `Counter` or `Untyped`: field 1 is the value (a missing one is 0, as in proto2).
    private func singleValue(_ message: ProtobufReader) throws(ProtobufDecodeError) -> Double {
        var reader = message
        var value = 0.0
        while let (field, wire) = try reader.nextField() {
            if field == 1 {
                try reader.expect(wire, .fixed64, field: "value")
                value = try reader.double()
            } else {
                try reader.skip(wire, field: field)
            }
        }
        return value
    }

    private mutating func summary(_ message: ProtobufReader, into values: inout MetricValues)
        throws(ProtobufDecodeError)
    {
        var reader = message
        var count = values.count ?? 0
        while let (field, wire) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(wire, .varint, field: "Summary.sample_count")
                count = Double(try reader.varint())
            case 2:
                try reader.expect(wire, .fixed64, field: "Summary.sample_sum")
                values.sum = try reader.double()
            case 3:
                try reader.expect(wire, .lengthDelimited, field: "Summary.quantile")
                var quantile = try reader.message(what: "a quantile")
                var point = (bound: 0.0, value: 0.0)
                while let (field, wire) = try quantile.nextField() {
                    switch field {
                    case 1:
                        try quantile.expect(wire, .fixed64, field: "Quantile.quantile")
                        point.bound = try quantile.double()
                    case 2:
                        try quantile.expect(wire, .fixed64, field: "Quantile.value")
                        point.value = try quantile.double()
                    default:
                        try quantile.skip(wire, field: field)
                    }
                }
                points.append(point)
            default:
                try reader.skip(wire, field: field)
            }
        }
        values.count = count
    }

    /// A classic histogram's count and sum; its buckets go to `points`. Native histogram fields are refused.
    private mutating func histogram(_ message: ProtobufReader, family: String) throws(ProtobufDecodeError)
        -> (count: Double, sum: Double)
    {
        var reader = message
        var count = 0.0
        var countFloat = 0.0
        var sum = 0.0
        while let (field, wire) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(wire, .varint, field: "Histogram.sample_count")
                count = Double(try reader.varint())
            case 2:
                try reader.expect(wire, .fixed64, field: "Histogram.sample_sum")
                sum = try reader.double()
            case 3:
                try reader.expect(wire, .lengthDelimited, field: "Histogram.bucket")
                points.append(try bucket(try reader.message(what: "a bucket of family \(family)")))
            case 4:
                try reader.expect(wire, .fixed64, field: "Histogram.sample_count_float")
                countFloat = try reader.double()
            case 5...14:
                throw ProtobufDecodeError(
                    "family \"\(family)\" is a native histogram (it carries \(Self.nativeFieldNames[Int(field) - 5])); "
                        + "Klaxon, like the Pushgateway's text exposition, takes classic histograms only: push it "
                        + "with classic buckets (client_golang: leave NativeHistogramBucketFactor unset)",
                    at: reader.position, malformed: false)
            default:
                try reader.skip(wire, field: field)
            }
        }
        return (countFloat > 0 ? countFloat : count, sum)
    }

    private static let nativeFieldNames = [
        "schema", "zero_threshold", "zero_count", "zero_count_float", "negative_span", "negative_delta",
        "negative_count", "positive_span", "positive_delta", "positive_count",
    ]

    private func bucket(_ message: ProtobufReader) throws(ProtobufDecodeError) -> (bound: Double, value: Double) {
        var reader = message
        var count = 0.0
        var countFloat = 0.0
        var bound = 0.0
        while let (field, wire) = try reader.nextField() {
            switch field {
            case 1:
                try reader.expect(wire, .varint, field: "Bucket.cumulative_count")
                count = Double(try reader.varint())
            case 2:
                try reader.expect(wire, .fixed64, field: "Bucket.upper_bound")
                bound = try reader.double()
            case 4:
                try reader.expect(wire, .fixed64, field: "Bucket.cumulative_count_float")
                countFloat = try reader.double()
            default:
                try reader.skip(wire, field: field)
            }
        }
        return (bound, countFloat > 0 ? countFloat : count)
    }
}
