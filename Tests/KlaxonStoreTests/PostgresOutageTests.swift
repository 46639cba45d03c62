import KlaxonRouting
import KlaxonRuntime
import KlaxonStore
import KlaxonTestSupport
import Testing

/// The acceptance test of the store writer: PostgreSQL stops mid-run and the audit catches up
/// when it returns.
@Suite(.enabled(if: PostgresPeer.shouldRun, "needs postgresql (apt-get install postgresql)"))
struct PostgresOutageTests {
    @Test func auditWrittenWhilePostgresIsDownArrivesWhenItReturns() async throws {
        let server = try await PostgresPeer.start()
        let url = try await server.createDatabase()
        let store = try PostgresAlertStore(url: url, instance: "klaxon-a")
        let sleeper = ManualRetrySleeper()
        let writer = StoreWriter(store: store, logger: .disabled, sleeper: sleeper)
        writer.start()
        defer { writer.stop() }
        let alert = StoreFixtures.alert("Frozen", severity: "P0")

        writer.submit([.audit(StoreFixtures.audit(.fired, alert, at: 1))])
        try await waitUntil("the first record to be written") { writer.stats.appliedWrites == 1 }

        try await server.stopServer()
        writer.submit([.audit(StoreFixtures.audit(.queued, alert, at: 2))])
        writer.submit([.audit(StoreFixtures.audit(.sent, alert, at: 3))])
        try await waitUntil("the writer to back off") { !sleeper.sleeps.isEmpty }
        #expect(writer.stats.spooledWrites == 2)
        #expect(writer.stats.lastError?.kind == .unavailable)
        let whileDown = try await offCooperativePool { () -> StoreError? in
            do throws(StoreError) {
                _ = try store.acks()
                return nil
            } catch {
                return error
            }
        }
        #expect(whileDown?.kind == .unavailable)
        #expect(whileDown?.message.contains(url) == false)

        try await server.startServer()
        sleeper.wake()
        try await waitUntil("the spool to drain") {
            if writer.stats.spooledWrites == 0 { return true }
            if sleeper.sleeps.count > 1 { sleeper.wake() }
            return false
        }
        // The store reconnected on its own: the same object reads again.
        let times = try await offCooperativePool { try store.history(HistoryQuery()).records.map(\.time) }
        #expect(times == [3, 2, 1])
        try await server.stopServer()
    }
}
