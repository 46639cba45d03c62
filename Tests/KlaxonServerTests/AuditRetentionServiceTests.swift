import KlaxonRouting
import KlaxonServer
import KlaxonTestSupport
import Testing

@Suite struct AuditRetentionServiceTests {
    @Test func recordsOlderThanTheRetentionGoAndNewerOnesStay() throws {
        let clock = ManualWallClock(milliseconds: 100 * 86_400_000)
        let store = InMemoryAlertStore()
        let day: Int64 = 86_400_000
        try store.apply([
            .audit(AuditRecord(time: clock.nowMilliseconds() - 91 * day, kind: .fired, alertName: "Old")),
            .audit(AuditRecord(time: clock.nowMilliseconds() - 89 * day, kind: .fired, alertName: "Recent")),
        ])
        let service = AuditRetentionService(
            store: store, retentionMilliseconds: 90 * day, clock: clock, logger: .disabled)
        #expect(service.pruneOnce() == 1)
        #expect(try store.history(HistoryQuery()).records.map(\.alertName) == ["Recent"])
    }
}
