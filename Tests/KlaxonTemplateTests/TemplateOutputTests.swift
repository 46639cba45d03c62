import Foundation
import KlaxonTemplate
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
        let template = try AlertShapedData.template(testCase.template, name: "__alert_A")
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
        let template = try AlertShapedData.template(
            "{{ $externalURL }}|{{ externalURL }}|{{ pathPrefix }}|{{ .ExternalURL }}")
        let data = AlertShapedData.make(labels: [:], externalURL: "https://klaxon.example/prefix", value: 1)
        #expect(
            try template.expand(data)
                == "https://klaxon.example/prefix|https://klaxon.example/prefix|/prefix|https://klaxon.example/prefix")
    }

    @Test func externalLabelsAreVisible() throws {
        let template = try AlertShapedData.template("{{ $externalLabels.env }}/{{ .ExternalLabels.env }}")
        let data = AlertShapedData.make(labels: [:], externalLabels: ["env": "prod"], value: 1)
        #expect(try template.expand(data) == "prod/prod")
    }

    @Test func textWithoutActionsIsReturnedUnchanged() throws {
        let template = try AlertShapedData.template("disk } almost { full")
        #expect(template.isConstant)
        #expect(try template.expand(AlertShapedData.make(labels: [:], value: 0)) == "disk } almost { full")
    }

    @Test func expansionIsBounded() throws {
        let template = try AlertShapedData.template(
            "{{ range $labels }}{{ printf \"%10000s\" . }}{{ printf \"%10000s\" . }}{{ end }}")
        var labels: [String: String] = [:]
        for index in 0..<100 { labels["l\(index)"] = "v" }
        #expect(throws: TemplateError.self) { try template.expand(AlertShapedData.make(labels: labels, value: 0)) }
    }

    @Test(arguments: [
        "{{ reReplaceAll \"\" (printf \"%10000s\" \"\") (printf \"%10000s\" \"\") }}",
        "{{ printf \"" + String(repeating: "%10000d", count: 200) + "\"" + String(repeating: " 1", count: 200) + " }}",
    ])
    func intermediateResultsAreBounded(_ text: String) throws {
        let template = try AlertShapedData.template(text)
        #expect {
            try template.expand(AlertShapedData.make(labels: [:], value: 0))
        } throws: { error in
            "\(error)".contains("result is longer than \(Template.maxOutput) bytes")
        }
    }
}
