import KlaxonConfig
import KlaxonMetrics
import KlaxonNotifiers
import KlaxonRouting
import Testing

/// A receiver's own `message` template over Alertmanager's notification data.
@Suite struct TemplatedMessagesTests {
    private let group = Fixtures.notification([
        Fixtures.alert(labels: ["venue": "binance"], annotations: ["summary": "book frozen"]),
        Fixtures.alert(labels: ["venue": "okx"], annotations: ["summary": "book frozen"]),
        Fixtures.alert(labels: ["venue": "kraken"], status: .resolved, resolvedAt: Fixtures.t0 + 60_000),
    ])

    @Test func anAlertmanagerStyleTemplateReadsTheGroup() throws {
        let messages = try TemplatedMessages(
            """
            {{ .Marker }} {{ .Severity }} {{ .Status | toUpper }}: {{ .CommonLabels.alertname }}
            {{ range .Alerts.Firing }}- {{ .Labels.venue }}: {{ .Annotations.summary }} since {{ .StartsAt }}
            {{ end }}{{ len .Alerts.Resolved }} resolved; common summary: [{{ .CommonAnnotations.summary }}]
            {{ .ExternalURL }}
            """, receiver: "team")
        #expect(
            messages.message(for: group, now: Fixtures.t0).plainText == """
                🚨 P0 FIRING: ExchangeFrozen
                - binance: book frozen since 2026-01-01 00:00:00 +0000 UTC
                - okx: book frozen since 2026-01-01 00:00:00 +0000 UTC
                1 resolved; common summary: []
                http://klaxon.example
                """)
    }

    /// The output is text: Telegram escapes what a label holds, whatever the template wrote.
    @Test func templateOutputIsEscapedByTheChannel() throws {
        let notification = Fixtures.notification([Fixtures.alert(labels: ["venue": "<b>x</b> & co"])])
        let messages = try TemplatedMessages("venue {{ .CommonLabels.venue }}", receiver: "team")
        let html = TelegramHTML.renderLine(messages.message(for: notification, now: Fixtures.t0).lines[0])
        #expect(html == "venue &lt;b&gt;x&lt;/b&gt; &amp; co")
    }

    @Test func aTemplateThatFailsSendsTheBuiltInMessageAndSaysWhy() throws {
        let messages = try TemplatedMessages("{{ index .Alerts 9 }}", receiver: "team")
        let text = messages.message(for: group, now: Fixtures.t0).plainText
        #expect(text.hasPrefix("🚨 P0 FIRING 2, RESOLVED 1: ExchangeFrozen"))
        #expect(text.contains("(the receiver's message template failed: "))
        #expect(text.contains("index out of range: 9"))
    }

    @Test func aBrokenTemplateIsRefusedWithItsPosition() {
        #expect {
            try TemplatedMessages("ok\n{{ .Status ", receiver: "team")
        } throws: { error in
            "\(error)".contains("2:")
        }
    }
}
