/// A protobuf message built field by field, for tests that send hand-made (and hand-broken) push bodies.
///
/// Writes the wire format only: a test names the field numbers of client_model's metrics.proto itself.
package struct ProtobufMessage: Sendable, Equatable {
    /// The encoded fields so far.
    package var bytes: [UInt8] = []

    package init() {}

    /// Appends raw bytes (to break a message on purpose).
    package func raw(_ more: [UInt8]) -> ProtobufMessage {
        var copy = self
        copy.bytes += more
        return copy
    }

    /// Field `number` as a varint (wire type 0).
    package func varint(_ number: UInt64, _ value: UInt64) -> ProtobufMessage {
        var copy = self
        Self.appendVarint(number << 3, to: &copy.bytes)
        Self.appendVarint(value, to: &copy.bytes)
        return copy
    }

    /// Field `number` as a little-endian double (wire type 1).
    package func double(_ number: UInt64, _ value: Double) -> ProtobufMessage {
        var copy = self
        Self.appendVarint(number << 3 | 1, to: &copy.bytes)
        let bits = value.bitPattern
        for shift in stride(from: 0, to: 64, by: 8) { copy.bytes.append(UInt8(truncatingIfNeeded: bits >> shift)) }
        return copy
    }

    /// Field `number` as length-delimited bytes (wire type 2).
    package func bytes(_ number: UInt64, _ value: [UInt8]) -> ProtobufMessage {
        var copy = self
        Self.appendVarint(number << 3 | 2, to: &copy.bytes)
        Self.appendVarint(UInt64(value.count), to: &copy.bytes)
        copy.bytes += value
        return copy
    }

    /// Field `number` as a UTF-8 string.
    package func string(_ number: UInt64, _ value: String) -> ProtobufMessage {
        bytes(number, Array(value.utf8))
    }

    /// Field `number` as a nested message.
    package func message(_ number: UInt64, _ value: ProtobufMessage) -> ProtobufMessage {
        bytes(number, value.bytes)
    }

    /// Messages each preceded by its varint length, as `encoding=delimited` sends them.
    package static func delimited(_ messages: [ProtobufMessage]) -> [UInt8] {
        var out: [UInt8] = []
        for message in messages {
            appendVarint(UInt64(message.bytes.count), to: &out)
            out += message.bytes
        }
        return out
    }

    /// Base-128 varint encoding.
    package static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        out.append(UInt8(rest))
    }

    // MARK: - metrics.proto shapes

    /// A `LabelPair`.
    package static func label(_ name: String, _ value: String) -> ProtobufMessage {
        ProtobufMessage().string(1, name).string(2, value)
    }

    /// A `Metric` with labels and one value message in field `valueField` (2 gauge, 3 counter, 4 summary,
    /// 5 untyped, 7 histogram).
    package static func metric(_ labels: [(String, String)], _ valueField: UInt64, _ value: ProtobufMessage)
        -> ProtobufMessage
    {
        var metric = ProtobufMessage()
        for (name, text) in labels { metric = metric.message(1, label(name, text)) }
        return metric.message(valueField, value)
    }

    /// A `MetricFamily` (type: 0 counter, 1 gauge, 2 summary, 3 untyped, 4 histogram).
    package static func family(_ name: String, type: UInt64, help: String? = nil, _ metrics: [ProtobufMessage])
        -> ProtobufMessage
    {
        var family = ProtobufMessage().string(1, name)
        if let help { family = family.string(2, help) }
        family = family.varint(3, type)
        for metric in metrics { family = family.message(4, metric) }
        return family
    }

    /// A `Gauge`, `Counter` or `Untyped` value message.
    package static func value(_ value: Double) -> ProtobufMessage {
        ProtobufMessage().double(1, value)
    }

    /// A `Summary` with (quantile, value) pairs.
    package static func summary(count: UInt64, sum: Double, _ quantiles: [(Double, Double)]) -> ProtobufMessage {
        var summary = ProtobufMessage().varint(1, count).double(2, sum)
        for (quantile, value) in quantiles {
            summary = summary.message(3, ProtobufMessage().double(1, quantile).double(2, value))
        }
        return summary
    }

    /// A classic `Histogram` with (upper bound, cumulative count) buckets.
    package static func histogram(count: UInt64, sum: Double, _ buckets: [(Double, UInt64)]) -> ProtobufMessage {
        var histogram = ProtobufMessage().varint(1, count).double(2, sum)
        for (bound, cumulative) in buckets {
            histogram = histogram.message(3, ProtobufMessage().varint(1, cumulative).double(2, bound))
        }
        return histogram
    }
}
