import KlaxonIngest
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser().parse(
            Array(#" {"a": [1, -2.5e3, true, false, null, "x\n\u00fc\ud83d\ude00"], "b": {}} "#.utf8))
        #expect(
            value
                == .object([
                    (
                        "a",
                        .array([
                            .number(1, text: "1"), .number(-2500, text: "-2.5e3"), .bool(true), .bool(false), .null,
                            .string("x\nü😀"),
                        ])
                    ), ("b", .object([])),
                ]))
    }

    @Test(arguments: [
        ("", 1, 1, "expected a value"),
        ("{\"a\" 1}", 1, 6, "expected \":\""),
        ("[1,]", 1, 4, "expected a value"),
        ("[01]", 1, 2, "leading zeros"),
        ("[1.]", 1, 4, "digits after \".\""),
        ("\"abc", 1, 1, "not closed"),
        ("\"\\q\"", 1, 2, "invalid escape"),
        ("\"\\ud800\"", 1, 8, "low surrogate"),
        ("[1e999]", 1, 2, "out of range"),
        ("{\n  \"a\": tru\n}", 2, 8, "expected a value"),
        ("[] x", 1, 4, "unexpected data"),
        ("\"\u{1}\"", 1, 2, "control character"),
    ])
    func syntaxErrorsCarryLineAndColumn(text: String, line: Int, column: Int, fragment: String) {
        #expect {
            _ = try JSONParser().parse(Array(text.utf8))
        } throws: { error in
            guard let error = error as? JSONSyntaxError else { return false }
            return error.line == line && error.column == column && error.message.contains(fragment)
        }
    }

    @Test func deepNestingIsRefused() {
        let text = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONSyntaxError.self) { _ = try JSONParser(maxDepth: 64).parse(Array(text.utf8)) }
        #expect(throws: Never.self) { _ = try JSONParser(maxDepth: 64).parse(Array(text.dropFirst().dropLast().utf8)) }
    }

    @Test func oversizedDocumentIsRefused() {
        #expect(throws: JSONSyntaxError.self) { _ = try JSONParser(maxBytes: 4).parse(Array("[1,2]".utf8)) }
    }
}
