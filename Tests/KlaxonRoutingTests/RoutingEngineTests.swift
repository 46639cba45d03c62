import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting
import KlaxonRuntime
import KlaxonTestSupport
import Synchronization
import Testing

@Suite struct RoutingEngineTests {
    /// Records what the engine persisted and delivered, in order.
    final class Recorder: Sendable {
        let log = Mutex<[String]>([])
        let writes = Mutex<[StoreWrite]>([])

        func persist(_ batch: [StoreWrite]) {
            writes.withLock { $0 += batch }
            log.withLock { $0.append("persist \(batch.count)") }
        }

        func deliver(_ entries: [OutboxEntry]) {
            log.withLock { $0.append("deliver " + entries.map(\.receiver).joined(separator: ",")) }
        }
    }

    private func engine(
        clock: ManualWallClock, recorder: Recorder, capacity: Int = 100,
        configure: (inout RoutingConfiguration) -> Void = { _ in }
    ) -> RoutingEngine {
        RoutingEngine(
            router: RouterFixtures.router(.prod, configure: configure), clock: clock, capacity: capacity,
            logger: .disabled, persist: recorder.persist, deliver: recorder.deliver)
    }

    @Test func persistsEachStepBeforeHandingItsNotificationsToDelivery() throws {
        let clock = ManualWallClock()
        let recorder = Recorder()
        let engine = engine(clock: clock, recorder: recorder)
        #expect(engine.submit([RouterFixtures.firing("ExchangeFrozen", .p0)]))
        engine.step()
        let log = recorder.log.withLock { $0 }
        #expect(log.count == 2)
        #expect(log.first?.hasPrefix("persist ") == true)
        #expect(log.last == "deliver telegram")
        let writes = recorder.writes.withLock { $0 }
        guard case .routingState(let key, let value) = writes.last else {
            Issue.record("the step's last write is not the routing state: \(String(describing: writes.last))")
            return
        }
        #expect(key == RouterSnapshot.storeKey)
        #expect(try RouterSnapshot(decoding: value).encoded() == value)
    }

    @Test func timersFireWhenTheClockReachesThem() {
        let clock = ManualWallClock(milliseconds: 0)
        let recorder = Recorder()
        let engine = engine(clock: clock, recorder: recorder)
        engine.submit([RouterFixtures.firing("ExchangeDown", .p1)])
        engine.step()
        #expect(recorder.log.withLock { $0.filter { $0.hasPrefix("deliver") } }.isEmpty)
        clock.advance(by: 5_000)
        engine.step()
        #expect(recorder.log.withLock { $0.filter { $0.hasPrefix("deliver") } } == ["deliver telegram"])
    }

    @Test func aFullQueueRefusesAndCountsInsteadOfBlocking() {
        let clock = ManualWallClock()
        let recorder = Recorder()
        let engine = engine(clock: clock, recorder: recorder, capacity: 2)
        let events = (0..<3).map { RouterFixtures.firing("A\($0)", .p0) }
        #expect(engine.submit(Array(events.prefix(2))))
        #expect(!engine.submit([events[2]]))
        #expect(engine.counters.dropped == 1)
        #expect(engine.counters.queued == 2)
        engine.step()
        #expect(engine.counters.queued == 0)
        #expect(engine.counters.notifications == 2)
    }

    @Test func acksFromTheAPIArePersistedAtOnce() throws {
        let clock = ManualWallClock()
        let recorder = Recorder()
        let engine = engine(clock: clock, recorder: recorder)
        let frozen = RouterFixtures.firing("ExchangeFrozen", .p0)
        engine.submit([frozen])
        engine.step()
        let ack = Ack(fingerprint: frozen.fingerprint, by: "alice", comment: "", at: clock.nowMilliseconds())
        try engine.acknowledge(ack)
        #expect(recorder.writes.withLock { $0.contains(.ack(ack)) })
        #expect(engine.read { $0.allAcks[frozen.fingerprint] } == ack)
        #expect(throws: RoutingRequestError.alertNotFiring(Fingerprint(rawValue: 7))) {
            try engine.acknowledge(Ack(fingerprint: Fingerprint(rawValue: 7), by: "x", comment: "", at: 0))
        }
    }

    @Test func theRoutingThreadRoutesWithoutBeingStepped() async throws {
        let recorder = Recorder()
        let engine = RoutingEngine(
            router: RouterFixtures.router(.prod), clock: SystemWallClock(), logger: .disabled,
            persist: recorder.persist, deliver: recorder.deliver)
        let task = Task { try await engine.run() }
        engine.submit([RouterFixtures.firing("GlobalRiskBlock", .p0)])
        try await waitUntil("the P0 is handed to delivery") {
            recorder.log.withLock { $0.contains("deliver telegram") }
        }
        task.cancel()
        try await task.value
    }
}
