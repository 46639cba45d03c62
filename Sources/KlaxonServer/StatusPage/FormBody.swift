import KlaxonRuntime

/// An `application/x-www-form-urlencoded` body, as a browser posts the status page's forms:
/// `name=value` pairs joined by `&`, `+` for a space, `%XX` for any other byte.
///
/// Parsed whole or refused: a bad escape, text that is not UTF-8, a name given twice, too many
/// fields or too many bytes are errors naming the field.
package struct FormBody: Sendable, Equatable {
    /// The fields in the order posted.
    package var fields: [(name: String, value: String)]

    /// Largest body accepted.
    package static let maxBytes = 64 << 10
    /// Most fields accepted.
    package static let maxFields = 32

    package init(fields: [(name: String, value: String)]) {
        self.fields = fields
    }

    package static func == (lhs: FormBody, rhs: FormBody) -> Bool {
        lhs.fields.map(\.name) == rhs.fields.map(\.name) && lhs.fields.map(\.value) == rhs.fields.map(\.value)
    }

    /// The value posted for `name`, if any.
    package subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Parses a whole body; the error says which field and what is wrong.
    package static func parse(_ body: [UInt8]) throws(FormBodyError) -> FormBody {
        guard body.count <= maxBytes else { throw FormBodyError("the form is larger than \(maxBytes) bytes") }
        var fields: [(name: String, value: String)] = []
        for (index, pair) in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true).enumerated() {
            guard fields.count < maxFields else { throw FormBodyError("the form has more than \(maxFields) fields") }
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let name = try decode(parts[0], what: "the name of field \(index + 1)")
            guard !name.isEmpty else { throw FormBodyError("field \(index + 1) has no name") }
            let value = try decode(parts.count > 1 ? parts[1] : [], what: "field \"\(excerpt(name))\"")
            guard !fields.contains(where: { $0.name == name }) else {
                throw FormBodyError("field \"\(excerpt(name))\" is given twice; give it once")
            }
            fields.append((name, value))
        }
        return FormBody(fields: fields)
    }

    /// Percent-decodes one name or value, `+` as a space; refuses a bad escape and text that is
    /// not UTF-8.
    static func decode(_ bytes: ArraySlice<UInt8>, what: String) throws(FormBodyError) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "+"):
                decoded.append(UInt8(ascii: " "))
                index += 1
            case UInt8(ascii: "%"):
                guard bytes.endIndex - index >= 3,
                    let high = GoEscape.hexDigitValue(bytes[index + 1]),
                    let low = GoEscape.hexDigitValue(bytes[index + 2])
                else {
                    throw FormBodyError("\(what): a % must be followed by two hex digits")
                }
                decoded.append(UInt8(high << 4 | low))
                index += 3
            default:
                decoded.append(byte)
                index += 1
            }
        }
        guard let text = String(validating: decoded, as: UTF8.self) else {
            throw FormBodyError("\(what) is not UTF-8 text")
        }
        return text
    }

    /// A name as it goes into an error message: at most 40 characters.
    private static func excerpt(_ name: String) -> String {
        name.count > 40 ? String(name.prefix(40)) + "…" : name
    }
}

/// A form body that cannot be read: the sentence names the field.
package struct FormBodyError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String

    package init(_ message: String) {
        self.message = message
    }

    package var description: String { message }
}
