import KlaxonMetrics
import KlaxonRules
import Testing

@Suite struct AlertingRuleTests {
    @Test func badAnnotationTemplateNamesRuleAnnotationAndPosition() {
        #expect {
            _ = try AlertingRule(
                name: "ExchangeFrozen", annotations: ["summary": "ok", "description": "x\n{{ humanise $value }}"])
        } throws: { error in
            let text = "\(error)"
            return text.hasPrefix(
                "rule \"ExchangeFrozen\": annotation description: template __alert_ExchangeFrozen: "
                    + "line 2, column 4: function \"humanise\" not defined"
            )
        }
    }

    @Test func fingerprintIsAlertmanagersFNV1a() {
        // Reference values from an independent FNV-1a-64 over name 0xFF value 0xFF.
        #expect(Fingerprint(Labels.empty).description == "cbf29ce484222325")
        let labels = Labels(["alertname": "DiskFull", "instance": "db1", "severity": "P1"])
        #expect(Fingerprint(labels).description == "c5bd53aae8334ff6")
        #expect(Fingerprint(labels) != Fingerprint(labels.setting("instance", to: "db2")))
    }

    @Test(arguments: ["P0", "P1", "P2", "P3"])
    func severityP0ToP3IsAccepted(_ severity: String) throws {
        try KlaxonLabelPolicy.validate(try AlertingRule(name: "R", labels: ["severity": severity, "source": "engine"]))
    }

    @Test(arguments: [
        (
            [String: String](),
            "rule \"R\": label severity is missing; every alerting rule needs severity: one of P0, P1, P2, P3"
        ),
        (
            ["severity": "critical"],
            "rule \"R\": label severity is \"critical\"; allowed: P0, P1, P2, P3 (did you mean P0?)"
        ),
        (
            ["severity": "WARNING"],
            "rule \"R\": label severity is \"WARNING\"; allowed: P0, P1, P2, P3 (did you mean P1?)"
        ),
        (["severity": "p2"], "rule \"R\": label severity is \"p2\"; allowed: P0, P1, P2, P3 (did you mean P2?)"),
        (["severity": "P4"], "rule \"R\": label severity is \"P4\"; allowed: P0, P1, P2, P3"),
        (
            ["severity": "{{ $labels.sev }}"],
            "rule \"R\": label severity is a template (\"{{ $labels.sev }}\");"
                + " it must be one of P0, P1, P2, P3 as written"
        ),
    ])
    func otherSeveritiesAreRefusedNotMapped(_ labels: [String: String], _ message: String) throws {
        let rule = try AlertingRule(name: "R", labels: labels)
        #expect {
            try KlaxonLabelPolicy.validate(rule)
        } throws: { error in
            "\(error)" == message
        }
    }

    @Test func generatorURLLinksTheExpressionAsPrometheusDoes() throws {
        let rule = try AlertingRule(name: "High", expression: "rate(errors_total{job=\"api\"}[5m]) > 0.1")
        #expect(
            rule.generatorURL(externalURL: "http://klaxon:9464")
                == "http://klaxon:9464/graph?g0.expr=rate%28errors_total%7Bjob%3D%22api%22%7D%5B5m%5D%29+%3E+0.1&g0.tab=1"
        )
    }
}
