import Testing

@testable import KlaxonRegex

/// Label-matcher regexes: whole-text matching, and fast paths that agree with the automaton.
@Suite struct AnchoredRegexTests {
    static let patterns = [
        "binance|okx|bybit", "/api/v1/.*", "(?i).*error.*", ".*", ".+", "", "a|", "foo.*bar.*baz", ".+foo.+",
        "(?i)Err", "(?i)k", "x.*", ".*x", "^foo$", "(?s).*", "(foo|bar)", "(?i:a)b.*", "café|thé", "a.b", "[ab]+",
        "(?:a)(?:b)", "a)|(b", ".*.*x", ".+.+x",
    ]
    static let texts = [
        "", "binance", "okx", "bybitx", "/api/v1/query", "/api/v2/x", "ERROR here", "an eRRor", "err", "Err",
        "K", "k", "\u{212A}", "xyz", "zyx", "foo", "foobarbaz", "fooXbarYbaz", "xfoox", "foo", "a", "ab", "b",
        "line\nbreak", "café", "thé", "a\nb", "axb", "aab", "errorerror", "x\nx", "é error",
    ]

    @Test(arguments: patterns)
    func fastPathsAgreeWithTheAutomaton(pattern: String) throws {
        let regex = try AnchoredRegex(pattern)
        for text in Self.texts {
            #expect(
                regex.matches(text) == regex.matchesByAutomaton(text),
                "\(pattern.debugDescription) on \(text.debugDescription)")
        }
    }

    @Test func rulesShapesSkipTheAutomaton() throws {
        for pattern in ["binance|okx|bybit", "/api/v1/.*", "(?i).*error.*", ".*", ".+", "foo.+bar"] {
            #expect(try !AnchoredRegex(pattern).isGeneral, "\(pattern)")
        }
        #expect(try AnchoredRegex("[a-z]+").isGeneral)
    }

    @Test func yesNoMatchingUsesTheDFAUnlessThePatternNeedsContext() throws {
        #expect(try AnchoredRegex("[a-z]+-[0-9]+:[0-9]{2,5}").regex.dfa != nil)
        #expect(try AnchoredRegex("(?i)(foo|bar)+baz").regex.dfa != nil)
        #expect(try Regex("x+y").dfa != nil)
        #expect(try Regex(#"\bword\b"#).dfa == nil)
        #expect(try Regex("(?m)^a$").dfa == nil)
    }

    @Test func matchesTheWholeValueOnly() throws {
        let regex = try AnchoredRegex("ok|x")
        #expect(regex.matches("ok"))
        #expect(!regex.matches("okx"))
        #expect(!regex.matches("look"))
        #expect(try AnchoredRegex("/api/v1/.*").matches("/api/v1/"))
        #expect(try !AnchoredRegex("/api/v1/.*").matches("/api/v1/a\nb"))
        #expect(try AnchoredRegex("(?i).*error.*").matches("Fatal ERROR"))
    }

    @Test func refusalsNameTheAnchoredPatternAsPrometheusDoes() {
        #expect(throws: RegexError.self) { try AnchoredRegex("a(b") }
        do {
            _ = try AnchoredRegex("a(b")
        } catch {
            #expect(error.description == "error parsing regexp: missing closing ): `^(?:a(b)$`")
        }
    }

    @Test func unicodeClassesAndFoldingFollowGo() throws {
        #expect(try AnchoredRegex(#"\pL+"#).matches("Zürich"))
        #expect(try !AnchoredRegex(#"\pL+"#).matches("Zürich1"))
        #expect(try AnchoredRegex(#"\p{Greek}+"#).matches("αβγ"))
        #expect(try !AnchoredRegex(#"\p{Greek}+"#).matches("abc"))
        #expect(try AnchoredRegex("[[:alpha:]]+").matches("abcXYZ"))
        #expect(try AnchoredRegex(#"\d{2,3}\s\w+"#).matches("123 go_1"))
        #expect(try AnchoredRegex("(?i)k").matches("\u{212A}"))
        #expect(try AnchoredRegex("(?i)straße").matches("STRAßE"))
        #expect(try !AnchoredRegex("é").matches("e"))
    }

    @Test func catastrophicPatternsStayLinear() throws {
        let regex = try AnchoredRegex("(a+)+b")
        let long = String(repeating: "a", count: 50_000)
        #expect(!regex.matches(long))
        let pike = try Regex("(a+)+b")
        var text = long
        let result = text.withUTF8 { try? pike.firstMatch(in: $0) }
        #expect(result == .some(nil))
    }
}
