import KlaxonConfig
import KlaxonNotifiers
import KlaxonRouting
import KlaxonTestSupport
import Testing

@Suite struct EmailDigestTests {
    /// 2026-01-01T08:00:00Z.
    static let eight = Fixtures.t0 + 8 * 3_600_000
    let digest = EmailDigest(schedules: ["mail": DigestSchedule(minuteOfDay: 8 * 60)])

    private func entry(
        _ id: String, severity: Severity = .p3, receiver: String = "mail", kind: Notification.Kind = .alerts,
        createdAt: Int64, attempts: Int = 0, alert: String = "DiskFilling"
    ) -> OutboxEntry {
        let notification = Fixtures.notification(
            [Fixtures.alert(alert, severity: severity.name)], id: id, receiver: receiver, kind: kind,
            severity: severity, createdAt: createdAt)
        return OutboxEntry(
            notification: notification, attempts: attempts, nextAttemptAt: createdAt, updatedAt: createdAt)
    }

    @Test(arguments: [
        (Fixtures.t0, Fixtures.t0 + 8 * 3_600_000),
        (Fixtures.t0 + 8 * 3_600_000, Fixtures.t0 + 8 * 3_600_000),
        (Fixtures.t0 + 8 * 3_600_000 + 1, Fixtures.t0 + 32 * 3_600_000),
        (Fixtures.t0 - 1, Fixtures.t0 + 8 * 3_600_000),
    ])
    func theNextDigestIsTheFirstEightOClockAtOrAfter(_ time: Int64, _ expected: Int64) {
        #expect(DigestSchedule(minuteOfDay: 480).next(atOrAfter: time) == expected)
    }

    @Test func onlyFirstAttemptsOfP3AlertsForADigestReceiverWait() {
        let created = Fixtures.t0 + 9 * 3_600_000
        let tomorrow = Fixtures.t0 + 32 * 3_600_000
        #expect(digest.scheduled(entry("a", createdAt: created)).nextAttemptAt == tomorrow)
        #expect(digest.scheduled(entry("b", severity: .p2, createdAt: created)).nextAttemptAt == created)
        #expect(digest.scheduled(entry("c", receiver: "other", createdAt: created)).nextAttemptAt == created)
        #expect(digest.scheduled(entry("d", createdAt: created, attempts: 1)).nextAttemptAt == created)
        let summary = RateLimitSummary(
            severity: .p3, source: "x", suppressed: 2, alertNames: [], windowStart: 0, windowEnd: 60_000)
        #expect(
            digest.scheduled(entry("e", kind: .rateLimitSummary(summary), createdAt: created)).nextAttemptAt == created)
    }

    @Test func dueDigestEntriesOfOneReceiverGoTogetherInCreationOrder() throws {
        let late = entry("late", createdAt: Self.eight - 1_000, alert: "Late")
        let early = entry("early", createdAt: Self.eight - 60_000, alert: "Early")
        let urgent = entry("urgent", severity: .p1, createdAt: Self.eight)
        let batches = digest.batches([late, urgent, early])
        #expect(batches.map { $0.map(\.notification.id) } == [["early", "late"], ["urgent"]])
        let combined = try #require(EmailDigest.notification(for: batches[0], at: Self.eight))
        #expect(combined.alerts.map(\.alertName) == ["Early", "Late"])
        #expect(combined.severity == .p3 && combined.receiver == "mail" && combined.createdAt == Self.eight)
        #expect(combined.id == EmailDigest.notification(for: batches[0], at: Self.eight + 5_000)?.id)
        #expect(combined.id != EmailDigest.notification(for: [early, urgent], at: Self.eight)?.id)
        #expect(EmailDigest.notification(for: [urgent], at: Self.eight) == urgent.notification)
    }
}
