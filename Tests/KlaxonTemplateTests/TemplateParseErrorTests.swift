import KlaxonTemplate
import Testing

@Suite struct TemplateParseErrorTests {
    struct ParseErrorCase: Sendable, CustomTestStringConvertible {
        var template: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { template }
    }

    static let cases: [ParseErrorCase] = [
        ParseErrorCase(template: "{{ query \"up\" }}", line: 1, column: 4, message: "function \"query\" not defined"),
        ParseErrorCase(template: "été {{ nope }}", line: 1, column: 8, message: "function \"nope\" not defined"),
        ParseErrorCase(
            template: "a\n  {{ humanise $value }}", line: 2, column: 6, message: "function \"humanise\" not defined"),
        ParseErrorCase(template: "{{ $foo }}", line: 1, column: 4, message: "undefined variable \"$foo\""),
        ParseErrorCase(template: "{{ $value", line: 1, column: 10, message: "unclosed action"),
        ParseErrorCase(template: "{{ if $value }}x", line: 1, column: 4, message: "{{if}} has no {{end}}"),
        ParseErrorCase(template: "x{{ end }}", line: 1, column: 5, message: "unexpected {{end}}"),
        ParseErrorCase(template: "{{ else }}", line: 1, column: 4, message: "unexpected {{else}}"),
        ParseErrorCase(template: "{{ \"abc }}", line: 1, column: 4, message: "unterminated quoted string"),
        ParseErrorCase(template: "{{ \"\\q\" }}", line: 1, column: 4, message: "unknown escape sequence \\q"),
        ParseErrorCase(template: "{{ 'a }}", line: 1, column: 4, message: "unterminated character constant"),
        ParseErrorCase(template: "{{ 'ab' }}", line: 1, column: 4, message: "malformed character constant"),
        ParseErrorCase(
            template: "{{ humanize }}", line: 1, column: 4, message: "wrong number of args for humanize: want 1 got 0"),
        ParseErrorCase(
            template: "{{ $value | humanize 1 }}", line: 1, column: 13,
            message: "wrong number of args for humanize: want 1 got 2"),
        ParseErrorCase(
            template: "{{ reReplaceAll \"a\" \"b\" }}", line: 1, column: 4,
            message: "wrong number of args for reReplaceAll: want 3 got 2"),
        ParseErrorCase(template: "{{ 1.2.3 }}", line: 1, column: 4, message: "illegal number syntax"),
        ParseErrorCase(template: "{{ 3 4 }}", line: 1, column: 4, message: "can't give argument to non-function"),
        ParseErrorCase(
            template: "{{ $value | 3 }}", line: 1, column: 13, message: "non executable command in pipeline stage 2"),
        ParseErrorCase(template: "{{ nil }}", line: 1, column: 4, message: "nil is not a command"),
        ParseErrorCase(template: "{{ }}", line: 1, column: 4, message: "missing value for command"),
        ParseErrorCase(
            template: "{{ define \"x\" }}{{ end }}", line: 1, column: 4, message: "{{define}} is not supported"),
        ParseErrorCase(template: "{{ break }}", line: 1, column: 4, message: "{{break}} outside {{range}}"),
        ParseErrorCase(template: "{{/* open", line: 1, column: 1, message: "unclosed comment"),
        ParseErrorCase(template: "{{ ) }}", line: 1, column: 4, message: "unexpected right paren"),
        ParseErrorCase(template: "{{ (humanize $value }}", line: 1, column: 21, message: "unclosed left paren"),
        ParseErrorCase(template: "{{ $x = 1 }}", line: 1, column: 4, message: "undefined variable \"$x\""),
        ParseErrorCase(template: "{{ # }}", line: 1, column: 4, message: "unrecognized character in action: '#'"),
        ParseErrorCase(template: "{{ $labels.x y }}", line: 1, column: 14, message: "function \"y\" not defined"),
    ]

    @Test(arguments: cases)
    func refusedAtLoadWithPosition(_ testCase: ParseErrorCase) {
        do {
            _ = try AlertShapedData.template(testCase.template, name: "__alert_Disk")
            Issue.record("\(testCase.template) parsed")
        } catch {
            #expect(error.phase == .parse)
            #expect(error.position == TemplatePosition(line: testCase.line, column: testCase.column), "\(error)")
            #expect(error.message.contains(testCase.message), "\(error)")
            #expect(
                error.description.hasPrefix("template __alert_Disk: line \(testCase.line), column \(testCase.column): ")
            )
        }
    }

    @Test func unknownFunctionErrorListsTheSupportedOnes() {
        #expect {
            _ = try AlertShapedData.template("{{ first (query \"up\") }}")
        } throws: { error in
            "\(error)".contains("supported: and, eq, externalURL")
        }
    }

    @Test func templateLongerThanTheLimitIsRefused() {
        let text = String(repeating: "x", count: Template.maxLength + 1)
        #expect(throws: TemplateError.self) { _ = try AlertShapedData.template(text) }
    }

    @Test func deepNestingIsRefusedNotOverflowingTheStack() {
        let text = String(repeating: "{{ if true }}", count: 200) + String(repeating: "{{ end }}", count: 200)
        #expect(throws: TemplateError.self) { _ = try AlertShapedData.template(text) }
        let parens = "{{ " + String(repeating: "(", count: 500) + "1" + String(repeating: ")", count: 500) + " }}"
        #expect(throws: TemplateError.self) { _ = try AlertShapedData.template(parens) }
    }
}
