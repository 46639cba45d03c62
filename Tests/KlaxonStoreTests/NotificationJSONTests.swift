import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting
import KlaxonStore
import Testing

@Suite struct NotificationJSONTests {
    private func roundTrip(_ notification: Notification) throws -> Notification {
        try NotificationJSON.decode(try NotificationJSON.encode(notification))
    }

    @Test func labelsAndAnnotationsRoundTripExactly() throws {
        let alert = AlertEvent(
            labels: Labels(["alertname": "Frozen ❄️", "venue": "bin\"ance\\", "zz": "line\nbreak", "ä": "ö"]),
            annotations: [
                Label("summary", "Exchange ❄️ frozen"), Label("description", ""), Label("a", "tab\there"),
                Label("summary", "duplicate names kept"), Label("ctl", "\u{01}\u{1F}"),
            ],
            status: .resolved, activeAt: 1, startsAt: 2, resolvedAt: 3, value: -0.0,
            generatorURL: "http://x/graph?a=1&b=/",
            observedAt: nil)
        let notification = Notification(
            id: "id-1", receiver: "telegram", groupKey: "{}:{alertname=\"Frozen ❄️\"}",
            groupLabels: Labels(["alertname": "Frozen ❄️"]), severity: .p0,
            alerts: [alert, StoreFixtures.alert("Latency", value: .nan)], createdAt: 10, externalURL: "")
        let decoded = try roundTrip(notification)
        #expect(decoded == notification)
        #expect(decoded.alerts.first?.annotations.map(\.name) == ["summary", "description", "a", "summary", "ctl"])
    }

    @Test(arguments: [
        Notification.Kind.alerts, .escalation(step: 3),
        .rateLimitSummary(
            RateLimitSummary(
                severity: .p2, source: "RateLimiter", suppressed: 12, alertNames: ["A", "B"], windowStart: 60_000,
                windowEnd: 120_000)),
    ])
    func everyKindRoundTrips(kind: Notification.Kind) throws {
        var notification = StoreFixtures.notification(id: "n")
        notification.kind = kind
        #expect(try roundTrip(notification) == notification)
    }

    @Test(arguments: [
        ("{", "invalid JSON"),
        ("{\"id\":\"x\"}", "missing field receiver"),
        (
            #"{"id":"x","receiver":"r","kind":{"type":"page"},"groupKey":"","groupLabels":{},"severity":"P0","#
                + #""alerts":[],"createdAt":1,"externalURL":""}"#,
            "kind.type \"page\" is not a notification kind"
        ),
        (
            #"{"id":"x","receiver":"r","kind":{"type":"alerts"},"groupKey":"","groupLabels":{},"severity":"P9","#
                + #""alerts":[],"createdAt":1,"externalURL":""}"#,
            "severity \"P9\" is not P0 … P3"
        ),
    ])
    func badPayloadsNameWhatIsWrong(text: String, message: String) {
        let error = #expect(throws: NotificationJSONError.self) { _ = try NotificationJSON.decode(text) }
        #expect(error?.message.hasPrefix(message) == true, "\(String(describing: error))")
    }
}
