import KlaxonTemplate
import Testing

/// Slices, as Go's text/template ranges, indexes and prints them (Alertmanager's `.Alerts`).
@Suite struct TemplateSliceTests {
    private let letters = TemplateValue.list(
        TemplateList(
            [.string("a"), .string("b")], goType: "[]string",
            methods: [TemplateField(name: "First", value: .string("a"))]))

    private func expand(_ text: String, _ dot: TemplateValue) throws -> String {
        try Template(text, name: "t", variables: []).expand(TemplateData(dot: dot))
    }

    @Test(arguments: [
        ("{{ range $i, $e := . }}{{ $i }}={{ $e }};{{ end }}", "0=a;1=b;"),
        ("{{ range . }}<{{ . }}>{{ end }}", "<a><b>"),
        ("{{ range $e := . }}{{ $e }}{{ break }}{{ end }}", "a"),
        ("{{ len . }} {{ index . 1 }}", "2 b"),
        ("{{ . }}", "[a b]"),
        ("{{ .First }}", "a"),
        ("{{ if . }}some{{ end }}", "some"),
    ])
    func aSliceRangesIndexesAndPrintsAsInGo(template: String, expected: String) throws {
        #expect(try expand(template, letters) == expected)
    }

    @Test func anEmptySliceTakesTheElseBranchAndIsFalse() throws {
        let empty = TemplateValue.list(TemplateList([]))
        #expect(try expand("{{ range . }}x{{ else }}none{{ end }}{{ if . }}!{{ end }}", empty) == "none")
    }

    @Test func indexPastTheEndAndUnknownMethodsAreExpansionErrors() {
        #expect(throws: TemplateError.self) { try expand("{{ index . 2 }}", letters) }
        #expect(throws: TemplateError.self) { try expand("{{ .Last }}", letters) }
    }
}
