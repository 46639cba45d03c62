import Testing

@testable import KlaxonServer

/// The status page's form posts as browsers encode them, and every way such a body can be wrong.
@Suite struct FormBodyTests {
    @Test func fieldsAreDecodedWithPlusAsSpaceAndPercentEscapes() throws {
        let form = try FormBody.parse(Array("by=alice+smith&comment=on%20it%21%0D%0Aok&expiry=&empty".utf8))
        #expect(form.fields.map(\.name) == ["by", "comment", "expiry", "empty"])
        #expect(form["by"] == "alice smith")
        #expect(form["comment"] == "on it!\r\nok")
        #expect(form["expiry"] == "" && form["empty"] == "")
        #expect(form["token"] == nil)
    }

    @Test func utf8AndAPlusSignSurvive() throws {
        let form = try FormBody.parse(Array("m=venue%3D%22b%C3%B6rse%22&p=a%2Bb&raw=%E2%9C%93".utf8))
        #expect(form["m"] == "venue=\"börse\"")
        #expect(form["p"] == "a+b")
        #expect(form["raw"] == "✓")
    }

    @Test func emptyPairsAreSkipped() throws {
        #expect(try FormBody.parse(Array("&&a=1&&".utf8)).fields.map(\.name) == ["a"])
        #expect(try FormBody.parse([]).fields.isEmpty)
    }

    @Test(arguments: [
        ("by=%zz", "field \"by\": a % must be followed by two hex digits"),
        ("by=abc%4", "field \"by\": a % must be followed by two hex digits"),
        ("by=%", "field \"by\": a % must be followed by two hex digits"),
        ("b%y=1", "the name of field 1: a % must be followed by two hex digits"),
        ("by=%FF%FE", "field \"by\" is not UTF-8 text"),
        ("a=1&=2", "field 2 has no name"),
        ("by=a&by=b", "field \"by\" is given twice; give it once"),
    ])
    func aBadBodyIsRefusedNamingTheField(body: String, message: String) {
        #expect(throws: FormBodyError(message)) { try FormBody.parse(Array(body.utf8)) }
    }

    @Test func tooManyFieldsOrBytesAreRefused() {
        let many = (0...FormBody.maxFields).map { "f\($0)=x" }.joined(separator: "&")
        #expect(throws: FormBodyError("the form has more than 32 fields")) { try FormBody.parse(Array(many.utf8)) }
        let large = [UInt8](repeating: UInt8(ascii: "a"), count: FormBody.maxBytes + 1)
        #expect(throws: FormBodyError("the form is larger than 65536 bytes")) { try FormBody.parse(large) }
    }
}
