import KlaxonRuntime
import Testing

@Suite struct GoEscapeTests {
    private static let doubleQuote = UInt8(ascii: "\"")

    /// Decodes the escape in `text` (written without its backslash) inside a literal quoted by `quote`.
    private func decode(_ text: String, quote: UInt8 = doubleQuote) -> (bytes: [UInt8], next: Int)? {
        var out: [UInt8] = []
        guard case .success(let next) = GoEscape.decode(Array(text.utf8), at: 0, quote: quote, into: &out) else {
            return nil
        }
        return (out, next)
    }

    private func failure(_ text: String) -> GoEscape.Failure? {
        var out: [UInt8] = []
        guard case .failure(let failure) = GoEscape.decode(Array(text.utf8), at: 0, quote: Self.doubleQuote, into: &out)
        else { return nil }
        return failure
    }

    @Test(
        arguments: [
            ("a", [0x07], 1), ("b", [0x08], 1), ("f", [0x0C], 1), ("n", [0x0A], 1), ("r", [0x0D], 1),
            ("t", [0x09], 1), ("v", [0x0B], 1), ("\\", [0x5C], 1), ("\"", [0x22], 1),
            ("x41rest", [0x41], 3), ("101", [0x41], 3), ("377", [0xFF], 3), ("u00e9", [0xC3, 0xA9], 5),
            ("U0001F600", [0xF0, 0x9F, 0x98, 0x80], 9),
        ] as [(String, [UInt8], Int)])
    func decodesGoEscapes(_ text: String, _ bytes: [UInt8], _ next: Int) {
        let decoded = decode(text)
        #expect(decoded?.bytes == bytes)
        #expect(decoded?.next == next)
    }

    @Test func theOtherQuoteIsNotAnEscape() {
        #expect(decode("'") == nil)
        #expect(decode("'", quote: UInt8(ascii: "'"))?.bytes == [UInt8(ascii: "'")])
    }

    @Test(arguments: [
        ("", GoEscape.Failure.unterminated), ("q", .unknown(UInt8(ascii: "q"))), ("\n", .unknown(0x0A)),
        ("x4", .missingDigits(code: UInt8(ascii: "x"), needed: 2)),
        ("u12g4", .missingDigits(code: UInt8(ascii: "u"), needed: 4)),
        ("18", .missingDigits(code: UInt8(ascii: "1"), needed: 3)),
        ("128", .missingDigits(code: UInt8(ascii: "1"), needed: 3)), ("400", .octalAboveByte),
        ("ud800", .notAScalar), ("U00110000", .notAScalar),
    ])
    func refusesWhatGoRefuses(_ text: String, _ expected: GoEscape.Failure) {
        #expect(failure(text) == expected)
    }
}
