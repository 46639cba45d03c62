import KlaxonRouting
import KlaxonRuntime
import KlaxonStore
import KlaxonTestSupport
import Testing

@Suite struct StoreWriterTests {
    private func state(_ key: String) -> StoreWrite { .routingState(key: key, value: key) }

    @Test func appliesBatchesInTheOrderTheyCame() async throws {
        let store = ScriptedStore()
        let writer = StoreWriter(store: store, logger: .disabled, maximumWritesPerTransaction: 3)
        writer.start()
        defer { writer.stop() }
        for index in 0..<10 { #expect(writer.submit([state("\(index)a"), state("\(index)b")])) }
        try await waitUntil("all 20 writes applied") { writer.stats.appliedWrites == 20 }
        #expect(store.writes == (0..<10).flatMap { [state("\($0)a"), state("\($0)b")] })
        #expect(store.applied.allSatisfy { $0.count <= 3 || $0.count == 2 })
        #expect(writer.stats.spooledWrites == 0 && writer.stats.errors == 0)
        #expect(writer.stats.transactions == store.applied.count)
    }

    @Test func submitAndWaitReturnsOnceTheWritesAreInTheStore() {
        let store = ScriptedStore()
        let writer = StoreWriter(store: store, logger: .disabled)
        writer.start()
        defer { writer.stop() }
        #expect(writer.submitAndWait([state("a"), state("b")], timeout: .seconds(60)))
        #expect(store.writes == [state("a"), state("b")])
    }

    /// An outage must not hold a page back: the writer says "not durable" at once and keeps the
    /// batch for when the database returns.
    @Test func submitAndWaitGivesUpAtOnceWhileTheStoreIsUnavailable() async throws {
        let store = ScriptedStore()
        store.setUnavailable(true)
        let sleeper = ManualRetrySleeper()
        let writer = StoreWriter(store: store, logger: .disabled, sleeper: sleeper)
        writer.start()
        defer { writer.stop() }
        writer.submit([state("first")])
        try await waitUntil("the first failure") { writer.stats.lastError?.kind == .unavailable }
        #expect(!writer.submitAndWait([state("second")], timeout: .seconds(600)))
        #expect(writer.stats.spooledWrites == 2)
        store.setUnavailable(false)
        sleeper.wake()
        try await waitUntil("the spool to drain") { writer.stats.spooledWrites == 0 }
        #expect(store.writes == [state("first"), state("second")])
    }

    @Test func whileTheStoreIsUnavailableWritesStaySpooledAndAreRetriedWithBackoff() async throws {
        let store = ScriptedStore()
        store.setUnavailable(true)
        let sleeper = ManualRetrySleeper()
        let writer = StoreWriter(
            store: store, logger: .disabled,
            backoff: StoreRetryBackoff(initialMilliseconds: 100, maximumMilliseconds: 300), sleeper: sleeper)
        writer.start()
        defer { writer.stop() }
        writer.submit([state("a")])
        writer.submit([state("b"), state("c")])
        for expected in 1...4 {
            try await waitUntil("retry \(expected) to wait") { sleeper.sleeps.count == expected }
            if expected < 4 { sleeper.wake() }
        }
        #expect(sleeper.sleeps == [100, 200, 300, 300])
        let failing = writer.stats
        #expect(failing.spooledWrites == 3 && failing.spooledBatches == 2)
        #expect(failing.errors == 4 && failing.lastError?.kind == .unavailable)
        #expect(store.writes.isEmpty)

        store.setUnavailable(false)
        sleeper.wake()
        try await waitUntil("the spool to drain") { writer.stats.spooledWrites == 0 }
        #expect(store.writes == [state("a"), state("b"), state("c")])
        #expect(writer.stats.lastError == nil && writer.stats.appliedWrites == 3)
    }

    @Test func aFullSpoolRefusesBatchesCountsAndLogsThem() async throws {
        let sink = RecordingLogSink()
        let store = ScriptedStore()
        let writer = StoreWriter(store: store, logger: Logger(sink: sink), capacity: 4)
        #expect(writer.submit([state("1"), state("2"), state("3")]))
        #expect(!writer.submit([state("4"), state("5")]))
        #expect(writer.submit([state("4")]))
        #expect(!writer.submit([state("6")]))
        #expect(writer.stats.overflowedWrites == 3 && writer.stats.spooledWrites == 4)
        #expect(sink.lines.filter { $0.contains("store spool full") }.count == 1)

        writer.start()
        defer { writer.stop() }
        try await waitUntil("the spool to drain") { writer.stats.spooledWrites == 0 }
        #expect(store.writes == ["1", "2", "3", "4"].map(state))
        #expect(
            sink.lines.contains { $0.contains("store spool has room again") && $0.contains("store.dropped_writes=3") })
    }

    @Test func aWriteTheDatabaseRefusesIsDroppedAloneAndLogged() async throws {
        let sink = RecordingLogSink()
        let store = ScriptedStore()
        store.refuse(routingStateKey: "bad")
        let writer = StoreWriter(store: store, logger: Logger(sink: sink))
        writer.submit([state("a"), state("bad"), state("b")])
        writer.submit([state("c"), state("d")])
        writer.start()
        defer { writer.stop() }
        try await waitUntil("the spool to drain") { writer.stats.spooledWrites == 0 }
        #expect(store.writes == [state("a"), state("b"), state("c"), state("d")])
        #expect(store.applied.contains([state("c"), state("d")]), "a good batch stays one transaction")
        #expect(writer.stats.rejectedWrites == 1 && writer.stats.appliedWrites == 4)
        #expect(sink.lines.contains { $0.contains("store refused a write") && $0.contains("routing state bad") })
    }

    @Test func afterStopBatchesAreRefusedAndCounted() {
        let writer = StoreWriter(store: ScriptedStore(), logger: .disabled)
        writer.start()
        writer.stop()
        #expect(!writer.submit([state("late")]))
        #expect(writer.stats.overflowedWrites == 1)
    }
}
