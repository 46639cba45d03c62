import KlaxonServer

/// The time every silence is checked at: 2026-01-01T00:00:00Z.
let now: Int64 = 1_767_225_600_000

/// Percent-encodes every byte but letters and digits, as the strictest browser would.
func encode(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            out.unicodeScalars.append(Unicode.Scalar(byte))
        default:
            let hex = String(byte, radix: 16, uppercase: true)
            out += "%" + (hex.count == 1 ? "0" : "") + hex
        }
    }
    return out
}

/// Feeds arbitrary bytes to the status page's form parser: it must refuse them with a message, or
/// return at most 32 named, distinct fields that encode and parse back the same. What parses then
/// goes, as the silence form sends it, through the API's silence parser, which must answer with
/// a silence or an error naming `silence`.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let form: FormBody
    do {
        form = try FormBody.parse(bytes)
    } catch {
        precondition(!error.message.isEmpty, "an error without a message")
        return 0
    }
    precondition(form.fields.count <= FormBody.maxFields, "too many fields accepted")
    precondition(form.fields.allSatisfy { !$0.name.isEmpty }, "a field without a name")
    precondition(Set(form.fields.map(\.name)).count == form.fields.count, "a field given twice accepted")
    let encoded = form.fields.map { encode($0.name) + "=" + encode($0.value) }.joined(separator: "&")
    if encoded.utf8.count <= FormBody.maxBytes {
        guard let again = try? FormBody.parse(Array(encoded.utf8)) else {
            preconditionFailure("the encoded form does not parse: \(encoded)")
        }
        precondition(again == form, "the form changed on a round trip")
    }
    let matchers = (form["matchers"] ?? "").split(separator: "\n").map(String.init)
    let body = StatusPageForms.json(form, keys: ["createdBy", "comment", "duration"], matchers: matchers)
    do {
        _ = try SilenceRequest.parse(body, now: now, dialect: .klaxon)
    } catch {
        precondition(error.message.hasPrefix("silence"), "error does not name the field: \(error.message)")
    }
    return 0
}
