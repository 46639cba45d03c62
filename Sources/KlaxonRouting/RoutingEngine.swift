import Foundation
import KlaxonMetrics
import KlaxonRuntime
import Synchronization

/// Runs the router on a thread of its own: alert events arrive through a bounded queue (the
/// rule engine never waits), acks and silences arrive from the API, timers fire at the router's
/// deadlines. Each step's writes are persisted before its notifications are handed to delivery,
/// so nothing reaches a receiver that the outbox could forget.
package final class RoutingEngine: Service, Sendable {
    /// Applies one step's writes (audit, outbox, state) in one transaction, before delivery.
    package typealias Persist = @Sendable ([StoreWrite]) -> Void
    /// Hands the outbox entries of a persisted step to the deliverer.
    package typealias Deliver = @Sendable ([OutboxEntry]) -> Void

    private struct Inbox {
        var events: [AlertEvent] = []
        var stopping = false
        var dropped = 0
    }

    package let name = "routing"
    private let router: Mutex<Router>
    private let inbox = Mutex(Inbox())
    private let wakeup = NSCondition()
    private let clock: any WallClock
    private let persist: Persist
    private let deliver: Deliver
    private let capacity: Int
    private let logger: Logger
    private let finished = DispatchGroup()
    private let tally = Mutex(RoutingCounters())

    /// `capacity` bounds the events waiting for the routing thread; more are refused, counted and logged.
    package init(
        router: Router, clock: any WallClock, capacity: Int = 100_000, logger: Logger, persist: @escaping Persist,
        deliver: @escaping Deliver
    ) {
        self.router = Mutex(router)
        self.clock = clock
        self.capacity = capacity
        self.logger = logger
        self.persist = persist
        self.deliver = deliver
    }

    // MARK: - Input

    /// Queues alert events for routing without waiting; false when the queue is full (the events
    /// are counted in `klaxon_routing_events_dropped_total` and logged).
    @discardableResult
    package func submit(_ events: [AlertEvent]) -> Bool {
        guard !events.isEmpty else { return true }
        let accepted = inbox.withLock { inbox -> Bool in
            guard inbox.events.count + events.count <= capacity else {
                inbox.dropped += events.count
                return false
            }
            inbox.events += events
            return true
        }
        if accepted {
            signal()
        } else {
            logger.error(
                "routing queue full; alert events dropped",
                ["routing.dropped": "\(events.count)", "routing.capacity": "\(capacity)"])
        }
        return accepted
    }

    /// Acknowledges a firing alert now; throws when it does not fire.
    package func acknowledge(_ ack: Ack) throws(RoutingRequestError) {
        try perform { (router, now) throws(RoutingRequestError) in try router.acknowledge(ack, now: now) }
    }

    /// Takes an ack back now.
    package func unacknowledge(_ fingerprint: Fingerprint, by: String) throws(RoutingRequestError) {
        try perform { (router, now) throws(RoutingRequestError) in
            try router.unacknowledge(fingerprint, by: by, now: now)
        }
    }

    /// Adds or replaces a silence now.
    package func addSilence(_ silence: Silence) {
        perform { router, now in router.addSilence(silence, now: now) }
    }

    /// Expires a silence now.
    package func expireSilence(id: String) throws(RoutingRequestError) {
        try perform { (router, now) throws(RoutingRequestError) in try router.expireSilence(id: id, now: now) }
    }

    // MARK: - Reading

    /// The router's current state, for the API (firing alerts, acks, silences).
    package func read<Value>(_ body: (borrowing Router) -> Value) -> Value {
        router.withLock { body($0) }
    }

    /// Queue depth, drops and what the stages held back, for self-metrics.
    package var counters: RoutingCounters {
        var snapshot = tally.withLock { $0 }
        inbox.withLock { inbox in
            snapshot.queued = inbox.events.count
            snapshot.dropped = inbox.dropped
        }
        return snapshot
    }

    // MARK: - Running

    /// Routes until cancelled; the routing thread then finishes the queued events and returns.
    package func run() async throws {
        finished.enter()
        let thread = Thread { [self] in
            loop()
            finished.leave()
        }
        thread.name = "klaxon-routing"
        thread.start()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                finished.notify(queue: .global()) { continuation.resume() }
            }
        } onCancel: {
            inbox.withLock { $0.stopping = true }
            signal()
        }
    }

    /// Routes what is queued and what is due at the clock's time; the routing thread's step,
    /// also called directly by tests.
    package func step() {
        let events = inbox.withLock { inbox -> [AlertEvent] in
            defer { inbox.events.removeAll(keepingCapacity: true) }
            return inbox.events
        }
        perform { router, now in
            var output = events.isEmpty ? RoutingOutput() : router.receive(events, now: now)
            if let due = router.nextDeadline, due <= now { output.append(router.tick(now: now)) }
            return output
        }
    }

    private func loop() {
        while true {
            step()
            let (stopping, pending) = inbox.withLock { ($0.stopping, !$0.events.isEmpty) }
            if stopping && !pending { return }
            if pending { continue }
            let deadline = router.withLock { $0.nextDeadline }
            wakeup.lock()
            let idle = inbox.withLock { $0.events.isEmpty && !$0.stopping }
            if idle {
                if let deadline {
                    let wait = Double(max(0, deadline - clock.nowMilliseconds())) / 1000
                    _ = wakeup.wait(until: Date(timeIntervalSinceNow: min(wait, 60)))
                } else {
                    _ = wakeup.wait(until: Date(timeIntervalSinceNow: 60))
                }
            }
            wakeup.unlock()
        }
    }

    private func signal() {
        wakeup.lock()
        wakeup.signal()
        wakeup.unlock()
    }

    /// Runs one change of the router, persists its writes and hands its notifications on, all
    /// under the router's lock so steps persist in the order they happened.
    private func perform<Failure: Error>(
        _ change: (inout Router, Int64) throws(Failure) -> RoutingOutput
    ) throws(Failure) {
        try router.withLock { (router: inout Router) throws(Failure) in
            let now = clock.nowMilliseconds()
            var output = try change(&router, now)
            guard !output.isEmpty else { return }
            output.writes.append(.routingState(key: RouterSnapshot.storeKey, value: router.snapshot.encoded()))
            tally.withLock { $0.count(output) }
            persist(output.writes)
            let entries = output.writes.compactMap { write -> OutboxEntry? in
                if case .enqueue(let entry) = write { entry } else { nil }
            }
            if !entries.isEmpty { deliver(entries) }
        }
        signal()
    }
}

/// What routing did since start, for self-metrics.
package struct RoutingCounters: Sendable, Equatable {
    /// Events waiting for the routing thread.
    package var queued = 0
    /// Events refused because the queue was full.
    package var dropped = 0
    /// Notifications queued to the outbox.
    package var notifications = 0
    /// Alerts held back, by stage.
    package var suppressed: [SuppressionStage: Int] = [:]

    mutating func count(_ output: RoutingOutput) {
        notifications += output.queued
        for record in output.auditRecords where record.kind == .suppressed {
            if let stage = record.stage { suppressed[stage, default: 0] += 1 }
        }
    }
}
