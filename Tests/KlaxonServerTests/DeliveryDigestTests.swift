import KlaxonConfig
import KlaxonMetrics
import KlaxonNotifiers
import KlaxonRouting
import KlaxonServer
import KlaxonStore
import KlaxonTestSupport
import Testing

/// The daily P3 digest as `serve` delivers it: held in the outbox across a restart, sent as one
/// email when the manual clock reaches `digest_at`.
@Suite struct DeliveryDigestTests {
    /// 2026-01-01T00:00:00Z.
    static let t0: Int64 = 1_767_225_600_000

    private func entry(_ id: String, _ alert: String, severity: Severity, createdAt: Int64) -> OutboxEntry {
        let event = AlertEvent(
            labels: Labels(["alertname": alert, "severity": severity.name]), annotations: [], status: .firing,
            activeAt: createdAt, startsAt: createdAt, resolvedAt: nil, value: 1, generatorURL: "")
        let notification = Notification(
            id: id, receiver: "mail", groupKey: "{}:{alertname=\"\(alert)\"}", severity: severity, alerts: [event],
            createdAt: createdAt)
        return OutboxEntry(notification: notification, nextAttemptAt: createdAt, updatedAt: createdAt)
    }

    @Test func heldP3NotificationsSurviveARestartAndGoOutAsOneEmailAtTheDigestTime() async throws {
        let relay = try SMTPStandIn()
        defer { relay.stop() }
        let clock = ManualWallClock(milliseconds: Self.t0 + 3_600_000)
        var email = EmailReceiver(
            smarthost: HostPort(host: "127.0.0.1", port: relay.port), from: EmailAddress(address: "k@example.com"),
            to: [EmailAddress(address: "oncall@example.com")])
        email.requireTLS = false
        email.digestAtMinute = 8 * 60
        let receivers = ConfiguredReceivers(
            [ReceiverConfiguration(name: "mail", kind: .email(email))], transport: URLSessionTransport(),
            logger: .disabled, clock: clock)
        // What a previous run left in the outbox: two P3 notifications created at 01:00.
        let store = InMemoryAlertStore()
        try store.apply([
            .enqueue(entry("p3-a", "DiskFilling", severity: .p3, createdAt: clock.nowMilliseconds())),
            .enqueue(entry("p3-b", "CertExpiring", severity: .p3, createdAt: clock.nowMilliseconds())),
        ])
        let service = DeliveryService(
            receivers: receivers, kinds: ["mail": "email"], store: store,
            writer: StoreWriter(store: store, logger: .disabled), claims: false, clock: clock, logger: .disabled,
            onHealth: { _ in })
        let running = Task { try await service.run() }
        defer { running.cancel() }

        // At 07:59 a P1 goes out at once; the loop that sent it found the P3s not yet due.
        clock.advance(by: 6 * 3_600_000 + 59 * 60_000)
        service.enqueue([entry("p1", "LatencyHigh", severity: .p1, createdAt: clock.nowMilliseconds())])
        try await waitUntil("the P1 email") { relay.messages.count == 1 }
        #expect(relay.messages[0].text.contains("P1 FIRING: LatencyHigh"))
        #expect(service.receiverStatuses.first { $0.name == "mail" }?.outboxDepth == 2)

        clock.advance(by: 60_000)
        try await waitUntil("the digest email") { relay.messages.count == 2 }
        let digest = relay.messages[1].text
        #expect(digest.contains("Subject: =?UTF-8?B?"))
        #expect(digest.contains("CertExpiring") && digest.contains("DiskFilling"))
        #expect(digest.contains("Date: Thu, 01 Jan 2026 08:00:00 +0000"))
        try await waitUntil("both held entries to be done") { service.backlog.count == 0 }
        #expect(relay.messages.count == 2)
    }
}
