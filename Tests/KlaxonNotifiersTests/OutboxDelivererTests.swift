import KlaxonNotifiers
import KlaxonRouting
import KlaxonRuntime
import KlaxonTestSupport
import Synchronization
import Testing

/// Answers each attempt with the next scripted result (the last one repeats) and records the calls.
final class ScriptedNotifier: Notifier {
    let receiver: String
    private let script: Mutex<(results: [DeliveryResult], calls: [(id: String, attempt: Int)])>

    init(_ receiver: String, _ results: [DeliveryResult]) {
        self.receiver = receiver
        script = Mutex((results, []))
    }

    var calls: [(id: String, attempt: Int)] { script.withLock { $0.calls } }

    func send(_ notification: Notification, attempt: Int) async -> DeliveryResult {
        script.withLock { script in
            script.calls.append((notification.id, attempt))
            return script.results.count > 1 ? script.results.removeFirst() : script.results.first ?? .delivered
        }
    }
}

/// Holds every `send` until the test opens it, then delivers.
final class GatedNotifier: Notifier {
    let receiver: String
    private let gate = Mutex<(open: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    init(_ receiver: String) { self.receiver = receiver }

    func open() {
        let waiters = gate.withLock { gate in
            gate.open = true
            defer { gate.waiters = [] }
            return gate.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func send(_ notification: Notification, attempt: Int) async -> DeliveryResult {
        await withCheckedContinuation { continuation in
            let isOpen = gate.withLock { gate in
                if !gate.open { gate.waiters.append(continuation) }
                return gate.open
            }
            if isOpen { continuation.resume() }
        }
        return .delivered
    }
}

@Suite struct OutboxDelivererTests {
    let clock = ManualWallClock(milliseconds: Fixtures.t0)

    private func enqueue(_ store: InMemoryAlertStore, receiver: String = "tg") throws {
        let notification = Fixtures.notification([Fixtures.alert()], receiver: receiver)
        try store.apply([
            .enqueue(OutboxEntry(notification: notification, nextAttemptAt: Fixtures.t0, updatedAt: Fixtures.t0))
        ])
    }

    private func deliverer(
        _ store: InMemoryAlertStore, _ notifiers: [any Notifier], fallbacks: [String: [String]] = [:]
    )
        -> OutboxDeliverer
    {
        OutboxDeliverer(store: store, notifiers: notifiers, fallbacks: fallbacks, clock: clock, random: { 0.5 })
    }

    @Test func aDeliveryIsMarkedDeliveredAndAuditedWithAttemptAndLatency() async throws {
        let store = InMemoryAlertStore()
        try enqueue(store)
        clock.advance(by: 250)
        let attempts = try await deliverer(store, [ScriptedNotifier("tg", [.delivered])]).deliverDue()
        #expect(attempts.map(\.result) == [.delivered])
        #expect(store.outboxEntry("n-1@tg")?.state == .delivered)
        #expect(store.outboxEntry("n-1@tg")?.attempts == 1)
        let sent = store.auditRecords.filter { $0.kind == .sent }
        #expect(sent.count == 1)
        #expect(sent.first?.attempt == 1)
        #expect(sent.first?.latencyMilliseconds == 250)
        #expect(sent.first?.receiver == "tg")
        #expect(sent.first?.alertName == "ExchangeFrozen")
    }

    @Test func aRetryableFailureIsRetriedWithBackoffAndThenDelivered() async throws {
        let store = InMemoryAlertStore()
        try enqueue(store)
        let notifier = ScriptedNotifier(
            "tg", [.failed(DeliveryError(.serverError, "502"), retryAfter: nil), .delivered])
        let deliverer = deliverer(store, [notifier])
        _ = try await deliverer.deliverDue()
        let entry = try #require(store.outboxEntry("n-1@tg"))
        #expect(entry.state == .pending)
        #expect(entry.nextAttemptAt == Fixtures.t0 + 250)
        #expect(entry.lastError == "server_error: 502")
        let failed = store.auditRecords.filter { $0.kind == .failed }
        #expect(failed.map(\.errorClass) == [.serverError])
        #expect(failed.first?.detail == "502; retry in 0s")
        #expect(try await deliverer.deliverDue().isEmpty)
        clock.advance(by: 250)
        _ = try await deliverer.deliverDue()
        #expect(store.outboxEntry("n-1@tg")?.state == .delivered)
        #expect(notifier.calls.map(\.attempt) == [1, 2])
    }

    @Test func throttlingWaitsAsLongAsTheReceiverAsked() async throws {
        let store = InMemoryAlertStore()
        try enqueue(store)
        let notifier = ScriptedNotifier("tg", [.failed(DeliveryError(.throttled, "429"), retryAfter: 3000)])
        _ = try await deliverer(store, [notifier]).deliverDue()
        #expect(store.outboxEntry("n-1@tg")?.nextAttemptAt == Fixtures.t0 + 3000)
    }

    @Test func aRejectedNotificationGoesToTheFallbacksAndTheChainEndsAtTheLog() async throws {
        let store = InMemoryAlertStore()
        try enqueue(store)
        let telegram = ScriptedNotifier("tg", [.failed(DeliveryError(.rejected, "chat not found"), retryAfter: nil)])
        let slack = ScriptedNotifier("slack", [.failed(DeliveryError(.configuration, "no_service"), retryAfter: nil)])
        let sink = RecordingLogSink()
        let log = LogNotifier(logger: Logger(sink: sink, clock: clock), clock: clock)
        let deliverer = deliverer(store, [telegram, slack, log], fallbacks: ["tg": ["slack"]])
        _ = try await deliverer.deliverDue()
        #expect(store.outboxEntry("n-1@tg")?.state == .failed)
        #expect(store.outboxEntry("n-1@slack")?.state == .pending)
        _ = try await deliverer.deliverDue()
        #expect(store.outboxEntry("n-1@slack")?.state == .failed)
        _ = try await deliverer.deliverDue()
        #expect(store.outboxEntry("n-1@log")?.state == .delivered)
        #expect(sink.lines.count == 1)
        #expect(sink.lines.first?.contains("notification.id=n-1") == true)
        let queued = store.auditRecords.filter { $0.kind == .queued }
        #expect(queued.map(\.receiver) == ["slack", "log"])
        #expect(queued.first?.detail == "fallback for tg: rejected: chat not found")
    }

    @Test func retriesStopAtMaxDeliveryAgeAndTheFallbackGetsIt() async throws {
        let store = InMemoryAlertStore()
        try enqueue(store)
        let telegram = ScriptedNotifier("tg", [.failed(DeliveryError(.timeout, "no answer"), retryAfter: nil)])
        let deliverer = OutboxDeliverer(
            store: store, notifiers: [telegram], fallbacks: [:], policy: RetryPolicy(maxDeliveryAgeMilliseconds: 1000),
            clock: clock, random: { 1 })
        _ = try await deliverer.deliverDue()
        clock.advance(by: 500)
        _ = try await deliverer.deliverDue()
        #expect(store.outboxEntry("n-1@tg")?.nextAttemptAt == Fixtures.t0 + 1000)
        clock.advance(by: 500)
        _ = try await deliverer.deliverDue()
        let entry = try #require(store.outboxEntry("n-1@tg"))
        #expect(entry.state == .failed)
        #expect(entry.attempts == 3)
        #expect(store.auditRecords.last { $0.kind == .failed }?.errorClass == .expired)
        #expect(store.outboxEntry("n-1@log")?.state == .pending)
    }

    @Test func anEntryClaimedByAnotherInstanceIsNotSent() async throws {
        let first = InMemoryAlertStore(instance: "a")
        let second = InMemoryAlertStore(instance: "b", sharingClaimsWith: first)
        try enqueue(first)
        try enqueue(second)
        #expect(try first.claimDelivery(key: "n-1@tg", now: Fixtures.t0))
        let notifier = ScriptedNotifier("tg", [.delivered])
        _ = try await deliverer(second, [notifier]).deliverDue()
        #expect(notifier.calls.isEmpty)
        #expect(second.outboxEntry("n-1@tg")?.state == .claimedElsewhere)
    }

    @Test func aSlowReceiverDoesNotHoldBackAnotherReceiversOutcome() async throws {
        let store = InMemoryAlertStore()
        try enqueue(store, receiver: "slow")
        try enqueue(store, receiver: "fast")
        let slow = GatedNotifier("slow")
        let deliverer = deliverer(store, [slow, ScriptedNotifier("fast", [.delivered])])
        let round = Task { try await deliverer.deliverDue() }
        try await waitUntil("the fast receiver's delivery is recorded") {
            store.outboxEntry("n-1@fast")?.state == .delivered
        }
        #expect(store.outboxEntry("n-1@slow")?.state == .pending)
        slow.open()
        #expect(try await round.value.map(\.receiver) == ["fast", "slow"])
        #expect(store.outboxEntry("n-1@slow")?.state == .delivered)
    }

    @Test func anUnknownReceiverIsAConfigurationFailure() async throws {
        let store = InMemoryAlertStore()
        try enqueue(store, receiver: "nobody")
        let attempts = try await deliverer(store, []).deliverDue()
        guard case .failed(let error, _) = attempts.first?.result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.errorClass == .configuration)
        #expect(store.outboxEntry("n-1@log")?.state == .pending)
    }

    @Test func aStoreFailureLeavesTheEntryDueForTheNextRound() async throws {
        let store = InMemoryAlertStore()
        try enqueue(store)
        store.failNextApply(with: StoreError(.unavailable, "database down"))
        let notifier = ScriptedNotifier("tg", [.delivered])
        await #expect(throws: StoreError.self) { try await deliverer(store, [notifier]).deliverDue() }
        #expect(store.outboxEntry("n-1@tg")?.state == .pending)
    }
}
