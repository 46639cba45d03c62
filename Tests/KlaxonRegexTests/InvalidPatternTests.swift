import Testing

@testable import KlaxonRegex

/// Go's `invalidRegexps`: every one refused; and Go's error texts for the common mistakes.
@Suite struct InvalidPatternTests {
    @Test func everyPatternOfInvalidTxtIsRefused() {
        let patterns = RE2Data.lines("invalid.txt").filter { !$0.isEmpty }
        #expect(patterns.count == 45)
        for line in patterns {
            let bytes = RE2Data.pattern(line)
            #expect(throws: RegexError.self, "\(line.prefix(60))") { try Regex(bytes: bytes) }
        }
    }

    @Test func onlyPerlPatternsParse() {
        let patterns = RE2Data.lines("only-perl.txt").filter { !$0.isEmpty }
        #expect(patterns.count == 9)
        for line in patterns {
            #expect(throws: Never.self, "\(line)") { try Regex(bytes: RE2Data.pattern(line)) }
        }
    }

    @Test(arguments: [
        ("a(b", "error parsing regexp: missing closing ): `a(b`"),
        ("a)b", "error parsing regexp: unexpected ): `a)b`"),
        ("[a", "error parsing regexp: missing closing ]: `[a`"),
        ("a**", "error parsing regexp: invalid nested repetition operator: `**`"),
        ("a++", "error parsing regexp: invalid nested repetition operator: `++`"),
        ("*a", "error parsing regexp: missing argument to repetition operator: `*`"),
        ("x{1001}", "error parsing regexp: invalid repeat count: `{1001}`"),
        ("x{2,1}", "error parsing regexp: invalid repeat count: `{2,1}`"),
        ("(?:[a-z]{4}){0,251}", "error parsing regexp: invalid repeat count: `{0,251}`"),
        (#"a\1"#, "error parsing regexp: invalid escape sequence: `\\1`"),
        (#"\Z"#, "error parsing regexp: invalid escape sequence: `\\Z`"),
        (#"a\"#, "error parsing regexp: trailing backslash at end of expression: ``"),
        ("(?=a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
        ("(?<name>a)", "error parsing regexp: invalid or unsupported Perl syntax: `(?<`"),
        ("(?P<n!>a)", "error parsing regexp: invalid named capture: `(?P<n!>`"),
        ("[z-a]", "error parsing regexp: invalid character class range: `z-a`"),
        ("[[:foo:]]", "error parsing regexp: invalid character class range: `[:foo:]`"),
        (#"\p{Klingon}"#, "error parsing regexp: invalid character class range: `\\p{Klingon}`"),
    ])
    func refusalsUseGosWords(pattern: String, message: String) {
        #expect(throws: RegexError.self) { try Regex(pattern) }
        do {
            _ = try Regex(pattern)
        } catch {
            #expect(error.description == message)
        }
    }
}
