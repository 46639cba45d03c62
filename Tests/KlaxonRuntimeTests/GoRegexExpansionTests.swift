import Foundation
import KlaxonRuntime
import Testing

@Suite struct GoRegexExpansionTests {
    private static let pattern = "(?P<host>[a-z]+):(?<port>[0-9]+)(x)?"

    @Test(arguments: [
        ("$1 ${2}", "web 80"), ("${host}@${port}", "web@80"), ("$host-$port", "web-80"),
        ("$1x|${1}x", "|webx"), ("$$1 $", "$1 $"), ("$9|$3|${nope}", "||"), ("${host", "${host"), ("$-", "$-"),
    ])
    func expandsAsGoDoes(_ template: String, _ expected: String) throws {
        let regex = try NSRegularExpression(pattern: Self.pattern.replacingOccurrences(of: "(?P<", with: "(?<"))
        let source = "web:80" as NSString
        let match = try #require(regex.firstMatch(in: source as String, range: NSRange(location: 0, length: 6)))
        let numbers = GoRegexExpansion.groupNumbers(in: Self.pattern)
        #expect(GoRegexExpansion.expand(template, match: match, in: source, groupNumbers: numbers) == expected)
    }

    @Test func groupNumbersSkipNonCapturingGroupsClassesAndEscapes() {
        let numbers = GoRegexExpansion.groupNumbers(in: #"(?:a)(?<=b)[(](?P<one>x)\((?<two>y)"#)
        #expect(numbers == ["one": 1, "two": 2])
    }
}
