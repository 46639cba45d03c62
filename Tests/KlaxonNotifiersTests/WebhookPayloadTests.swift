import KlaxonMetrics
import KlaxonNotifiers
import KlaxonRouting
import Testing

@Suite struct WebhookPayloadTests {
    @Test func firingAlertHasAlertmanagersShapeAndZeroEndsAt() {
        let alert = Fixtures.alert(labels: ["venue": "<b>&amp;"], startsAt: Fixtures.t0 + 120)
        let body = WebhookPayload.json(Fixtures.notification([alert]))
        let fingerprint = alert.fingerprint.description
        #expect(
            body == """
                {"receiver":"oncall","status":"firing","alerts":[{"status":"firing","labels":\
                {"alertname":"ExchangeFrozen","severity":"P0","venue":"\\u003cb\\u003e\\u0026amp;"},\
                "annotations":{"summary":"Order book frozen"},"startsAt":"2026-01-01T00:00:00.12Z",\
                "endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://klaxon.example/graph?g0.expr=up",\
                "fingerprint":"\(fingerprint)"}],"groupLabels":{"alertname":"ExchangeFrozen"},\
                "commonLabels":{"alertname":"ExchangeFrozen","severity":"P0","venue":"\\u003cb\\u003e\\u0026amp;"},\
                "commonAnnotations":{"summary":"Order book frozen"},"externalURL":"http://klaxon.example",\
                "version":"4","groupKey":"{}:{alertname=\\"ExchangeFrozen\\"}","truncatedAlerts":0}

                """)
    }

    @Test func resolvedGroupKeepsOnlySharedLabelsAndTruncates() {
        let first = Fixtures.alert(labels: ["venue": "a"], status: .resolved, resolvedAt: Fixtures.t0 + 60_000)
        let second = Fixtures.alert(labels: ["venue": "b"], status: .resolved, resolvedAt: Fixtures.t0 + 61_500)
        let third = Fixtures.alert(labels: ["venue": "c"], status: .resolved, resolvedAt: Fixtures.t0 + 1)
        let body = WebhookPayload.json(Fixtures.notification([first, second, third]), maxAlerts: 2)
        #expect(body.hasPrefix("{\"receiver\":\"oncall\",\"status\":\"resolved\","))
        #expect(body.contains("\"endsAt\":\"2026-01-01T00:01:00Z\""))
        #expect(body.contains("\"endsAt\":\"2026-01-01T00:01:01.5Z\""))
        #expect(!body.contains("\"venue\":\"c\""))
        #expect(body.contains("\"commonLabels\":{\"alertname\":\"ExchangeFrozen\",\"severity\":\"P0\"}"))
        #expect(body.hasSuffix("\"truncatedAlerts\":1}\n"))
    }

    @Test(arguments: [
        ("a\u{2028}b", "\"a\\u2028b\""), ("\u{1}\u{8}\u{C}", "\"\\u0001\\b\\f\""), ("é🚨", "\"é🚨\""),
        ("<>&", "\"\\u003c\\u003e\\u0026\""),
    ])
    func stringsAreQuotedAsGoQuotesThem(_ text: String, _ expected: String) {
        #expect(GoJSON.quoted(text) == expected)
    }

    @Test func alertmanagerPayloadRenewsEndsAtForFiringAlerts() {
        let firing = Fixtures.alert(labels: ["venue": "a"])
        let resolved = Fixtures.alert(labels: ["venue": "b"], status: .resolved, resolvedAt: Fixtures.t0 + 5000)
        let body = AlertmanagerPayload.json(
            [firing, resolved], now: Fixtures.t0 + 10_000, validForMilliseconds: 240_000)
        #expect(
            body == """
                [{"labels":{"alertname":"ExchangeFrozen","severity":"P0","venue":"a"},\
                "annotations":{"summary":"Order book frozen"},"startsAt":"2026-01-01T00:00:00.000Z",\
                "endsAt":"2026-01-01T00:04:10.000Z","generatorURL":"http://klaxon.example/graph?g0.expr=up"},\
                {"labels":{"alertname":"ExchangeFrozen","severity":"P0","venue":"b"},\
                "annotations":{"summary":"Order book frozen"},"startsAt":"2026-01-01T00:00:00.000Z",\
                "endsAt":"2026-01-01T00:00:05.000Z","generatorURL":"http://klaxon.example/graph?g0.expr=up"}]
                """)
    }
}
