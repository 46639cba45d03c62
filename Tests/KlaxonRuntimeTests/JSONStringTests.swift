import KlaxonRuntime
import Testing

@Suite struct JSONStringTests {
    @Test func quotesAsJSONAndOptionallyAsGoEscapesForHTML() {
        let text = "a\"b\\c\n\u{8}\u{C}\u{1}<&>\u{2028}é"
        #expect(JSONString.quoted(text) == #""a\"b\\c\n\b\f\u0001<&>"# + "\u{2028}é\"")
        #expect(JSONString.quoted(text, htmlSafe: true) == #""a\"b\\c\n\b\f\u0001\u003c\u0026\u003e\u2028é""#)
    }
}
