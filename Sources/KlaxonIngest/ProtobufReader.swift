/// Reads the protocol buffer wire format from one message's bytes: field keys, varints, fixed64
/// doubles and length-delimited fields (strings and nested messages).
///
/// A reader covers `position..<end` of a shared buffer; a nested message gets a reader of its own
/// bounded by its length, so no length can run past the message that holds it.
struct ProtobufReader {
    /// The wire types of protobuf encoding (groups, 3 and 4, are deprecated and not used by metrics.proto).
    enum WireType: UInt8 {
        case varint = 0
        case fixed64 = 1
        case lengthDelimited = 2
        case startGroup = 3
        case endGroup = 4
        case fixed32 = 5
    }

    let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position: Int
    let end: Int

    init(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) {
        self.bytes = bytes
        position = range.lowerBound
        end = range.upperBound
    }

    var atEnd: Bool { position >= end }

    // MARK: - Fields

    /// The next field's number and wire type, or nil at the end of the message.
    mutating func nextField() throws(ProtobufDecodeError) -> (number: UInt64, wireType: WireType)? {
        guard position < end else { return nil }
        let start = position
        let key = try varint()
        let number = key >> 3
        guard number >= 1, number <= 536_870_911 else {
            throw ProtobufDecodeError("invalid field number \(number); field numbers run from 1 to 2^29-1", at: start)
        }
        guard let wireType = WireType(rawValue: UInt8(truncatingIfNeeded: key & 7)) else {
            throw ProtobufDecodeError("invalid wire type \(key & 7) for field \(number)", at: start)
        }
        return (number, wireType)
    }

    /// Skips a field this decoder does not read, as protobuf requires of unknown fields.
    mutating func skip(_ wireType: WireType, field: UInt64) throws(ProtobufDecodeError) {
        switch wireType {
        case .varint: _ = try varint()
        case .fixed64: try advance(8, what: "fixed64 field \(field)")
        case .fixed32: try advance(4, what: "fixed32 field \(field)")
        case .lengthDelimited: _ = try lengthDelimited(what: "field \(field)")
        case .startGroup, .endGroup:
            throw ProtobufDecodeError(
                "field \(field) uses the deprecated group encoding (wire type \(wireType.rawValue)), "
                    + "which metrics.proto never uses", at: position)
        }
    }

    /// Throws unless a known field came with the wire type its declaration gives it.
    func expect(_ wireType: WireType, _ expected: WireType, field: StaticString) throws(ProtobufDecodeError) {
        guard wireType == expected else {
            throw ProtobufDecodeError(
                "field \(field) has wire type \(wireType.rawValue), expected \(expected.rawValue)", at: position)
        }
    }

    // MARK: - Values

    /// A base-128 varint of at most ten bytes.
    mutating func varint() throws(ProtobufDecodeError) -> UInt64 {
        let start = position
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard position < end else { throw ProtobufDecodeError("truncated varint", at: start) }
            let byte = bytes[position]
            position += 1
            if shift == 63 && byte > 1 {
                throw ProtobufDecodeError("varint overflows 64 bits", at: start)
            }
            result |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return result }
            shift += 7
        }
    }

    /// A little-endian fixed64 read as a double.
    mutating func double() throws(ProtobufDecodeError) -> Double {
        let start = position
        try advance(8, what: "double")
        var raw: UInt64 = 0
        for offset in 0..<8 { raw |= UInt64(bytes[start + offset]) << UInt64(offset * 8) }
        return Double(bitPattern: raw)
    }

    /// The byte range of a length-delimited field, which must lie inside this message; the reader moves past it.
    mutating func lengthDelimited(what: @autoclosure () -> String) throws(ProtobufDecodeError) -> Range<Int> {
        let start = position
        let length = try varint()
        let left = end - position
        guard length <= UInt64(left) else {
            throw ProtobufDecodeError(
                "\(what()) has length \(length), past the end of its enclosing message (\(left) bytes left)",
                at: start)
        }
        let range = position..<(position + Int(length))
        position = range.upperBound
        return range
    }

    /// A nested message's reader.
    mutating func message(what: @autoclosure () -> String) throws(ProtobufDecodeError) -> ProtobufReader {
        ProtobufReader(bytes, range: try lengthDelimited(what: what()))
    }

    /// A string field, which must be UTF-8.
    mutating func string(what: @autoclosure () -> String) throws(ProtobufDecodeError) -> String {
        let range = try lengthDelimited(what: what())
        let slice = UnsafeBufferPointer(rebasing: bytes[range])
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw ProtobufDecodeError("\(what()) is not valid UTF-8", at: range.lowerBound, malformed: false)
        }
        return text
    }

    private mutating func advance(_ count: Int, what: @autoclosure () -> String) throws(ProtobufDecodeError) {
        guard end - position >= count else {
            throw ProtobufDecodeError(
                "truncated \(what()): \(count) bytes needed, \(end - position) left", at: position)
        }
        position += count
    }
}

/// Why a protobuf push body was refused: what was wrong and at which byte of the body.
package struct ProtobufDecodeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, naming the field or family.
    package var message: String
    /// The byte offset in the body where the problem starts.
    package var offset: Int
    /// True when the bytes are not protobuf at all (a truncated varint, a length past the end); false when
    /// they decode but the metrics are invalid (a missing value, a duplicate label). The Pushgateway tells
    /// the two apart: only the second reaches the group and sets its `push_failure_time_seconds`.
    package var isMalformed: Bool

    init(_ message: String, at offset: Int, malformed: Bool = true) {
        self.message = message
        self.offset = offset
        isMalformed = malformed
    }

    package var description: String { "protobuf body, byte \(offset): \(message)" }
}
