import Foundation
import KlaxonMetrics
import KlaxonRules
import Testing

@Suite struct TemplateOutputTests {
    @Test(arguments: TemplateCase.valueFormatting)
    func valueFormattingMatchesPrometheus(_ testCase: TemplateCase) throws {
        try check(testCase)
    }

    @Test(arguments: TemplateCase.language)
    func languageMatchesPrometheus(_ testCase: TemplateCase) throws {
        try check(testCase)
    }

    /// Prometheus replaces a failed expansion with `<error expanding template: …>`; the wording
    /// of the location differs, the cause must not (regex engines word their errors differently).
    private func check(_ testCase: TemplateCase) throws {
        let template = try Template(testCase.template, name: "__alert_A")
        let output = template.expandOrError(testCase.data)
        let errorPrefix = "<error expanding template: "
        guard testCase.expected.hasPrefix(errorPrefix) else {
            #expect(output == testCase.expected)
            return
        }
        #expect(output.hasPrefix(errorPrefix), "expected an expansion error, got \(output)")
        if !testCase.expected.contains("regexp:"), let marker = testCase.expected.range(of: ">: ", options: .backwards)
        {
            let cause = String(testCase.expected[marker.upperBound...].dropLast())
            #expect(output.contains(cause), "expected cause \(cause) in \(output)")
        }
    }

    @Test func externalURLAndPathPrefixComeFromTheData() throws {
        let template = try Template(
            "{{ $externalURL }}|{{ externalURL }}|{{ pathPrefix }}|{{ .ExternalURL }}", name: "t")
        let data = AlertTemplateData(labels: .empty, externalURL: "https://klaxon.example/prefix", value: 1)
        #expect(
            try template.expand(data)
                == "https://klaxon.example/prefix|https://klaxon.example/prefix|/prefix|https://klaxon.example/prefix")
    }

    @Test func externalLabelsAreVisible() throws {
        let template = try Template("{{ $externalLabels.env }}/{{ .ExternalLabels.env }}", name: "t")
        let data = AlertTemplateData(labels: .empty, externalLabels: Labels(["env": "prod"]), value: 1)
        #expect(try template.expand(data) == "prod/prod")
    }

    @Test func textWithoutActionsIsReturnedUnchanged() throws {
        let template = try Template("disk } almost { full", name: "t")
        #expect(template.isConstant)
        #expect(try template.expand(AlertTemplateData(labels: .empty, value: 0)) == "disk } almost { full")
    }

    @Test func expansionIsBounded() throws {
        let template = try Template(
            "{{ range $labels }}{{ printf \"%10000s\" . }}{{ printf \"%10000s\" . }}{{ end }}", name: "t")
        var labels: [String: String] = [:]
        for index in 0..<100 { labels["l\(index)"] = "v" }
        #expect(throws: TemplateError.self) { try template.expand(AlertTemplateData(labels: Labels(labels), value: 0)) }
    }

    @Test(arguments: [
        "{{ reReplaceAll \"\" (printf \"%10000s\" \"\") (printf \"%10000s\" \"\") }}",
        "{{ printf \"" + String(repeating: "%10000d", count: 200) + "\"" + String(repeating: " 1", count: 200) + " }}",
    ])
    func intermediateResultsAreBounded(_ text: String) throws {
        let template = try Template(text, name: "t")
        #expect {
            try template.expand(AlertTemplateData(labels: .empty, value: 0))
        } throws: { error in
            "\(error)".contains("result is longer than \(Template.maxOutput) bytes")
        }
    }
}
