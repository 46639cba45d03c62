import Testing

@testable import KlaxonRegex

/// Go's `Expand` and `ReplaceAllString`, as `label_replace` and `reReplaceAll` use them.
@Suite struct RegexReplaceTests {
    private static let pattern = "(?P<host>[a-z]+):(?P<port>[0-9]+)(x)?"

    @Test(arguments: [
        ("$1 ${2}", "web 80"), ("${host}@${port}", "web@80"), ("$host-$port", "web-80"),
        ("$1x|${1}x", "|webx"), ("$$1 $", "$1 $"), ("$9|$3|${nope}", "||"), ("${host", "${host"), ("$-", "$-"),
        ("$01|$00", "|"), ("${1}${2}", "web80"),
    ])
    func expandsAsGoDoes(_ template: String, _ expected: String) throws {
        let regex = try Regex(Self.pattern)
        #expect(regex.expandFirstMatch(in: "web:80", template: template) == expected)
    }

    @Test func groupNamesAndNumbersCountOnlyCapturingGroups() throws {
        let regex = try Regex(#"(?:a)[(](?P<one>x)\((?P<two>y)"#)
        #expect(regex.captureNames == [nil, "one", "two"])
        #expect(regex.expandFirstMatch(in: "a(x(y", template: "$two$one") == "yx")
    }

    @Test(arguments: [
        ("a*", "x", "baaac", "xbxcx"), ("", "-", "abc", "-a-b-c-"), ("(a)|b", "[$1]", "ab", "[a][]"),
        ("é", "e", "été", "ete"), ("x*", "-", "abc", "-a-b-c-"), ("^", ">", "ab", ">ab"), ("$", "<", "ab", "ab<"),
        (#"\b"#, "|", "ab cd", "|ab| |cd|"),
    ])
    func replaceAllSkipsEmptyMatchesAfterAMatch(pattern: String, template: String, text: String, expected: String)
        throws
    {
        #expect(try Regex(pattern).replaceAll(in: text, template: template, maxBytes: 1_000) == expected)
    }

    @Test func replaceAllStopsAtTheOutputLimit() throws {
        #expect(try Regex("").replaceAll(in: String(repeating: "a", count: 100), template: "xx", maxBytes: 50) == nil)
    }
}
