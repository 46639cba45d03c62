import KlaxonMetrics
import KlaxonRules
import KlaxonTemplate
import Testing

/// The rule engine's side of alert templates: the data Prometheus gives every alert template.
@Suite struct AlertTemplateDataTests {
    private let data = AlertTemplateData(
        labels: Labels(["__name__": "m", "job": "api"]), externalLabels: Labels(["env": "prod"]),
        externalURL: "https://klaxon.example/prefix", value: 0.5)

    @Test func variablesAndFieldsOfDotCarryTheAlert() throws {
        let template = try Template(
            alert: "{{ $labels.job }}/{{ .Labels.job }} {{ $externalLabels.env }}/{{ .ExternalLabels.env }} "
                + "{{ $externalURL }}/{{ .ExternalURL }} {{ $value }}/{{ .Value }}",
            name: "__alert_A")
        #expect(
            try template.expand(data)
                == "api/api prod/prod https://klaxon.example/prefix/https://klaxon.example/prefix 0.5/0.5")
    }

    @Test func externalURLFunctionsReadTheAlertsURL() throws {
        let template = try Template(alert: "{{ externalURL }}|{{ pathPrefix }}", name: "__alert_A")
        #expect(try template.expand(data) == "https://klaxon.example/prefix|/prefix")
    }

    @Test func onlyTheAlertVariablesAreDefined() {
        #expect {
            _ = try Template(alert: "{{ $alerts }}", name: "__alert_A")
        } throws: { error in
            "\(error)".contains("undefined variable \"$alerts\"")
        }
    }
}
