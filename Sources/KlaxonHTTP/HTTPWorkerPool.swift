import Dispatch
import Foundation
import Synchronization

/// One request handed to a worker; the I/O loop cancels it when its connection closes first.
final class HTTPWorkItem: Sendable {
    private let body: @Sendable () -> Void
    private let cancelled = Atomic<Bool>(false)

    init(_ body: @escaping @Sendable () -> Void) {
        self.body = body
    }

    /// Skips the work if no worker has started it yet (a running handler finishes).
    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    func run() {
        guard !cancelled.load(ordering: .relaxed) else { return }
        body()
    }
}

/// Threads that run `.worker` handlers so a slow one never stalls an I/O loop.
///
/// A bounded FIFO queue feeds a fixed number of threads. A full queue refuses new work (the I/O
/// loop answers 503), so a flood of slow requests costs memory for `capacity` requests at most.
final class HTTPWorkerPool: Sendable {
    private struct Queue {
        var items: [HTTPWorkItem] = []
        var stopped = false
    }

    /// Most items waiting for a thread.
    let capacity: Int
    /// Number of worker threads.
    let threadCount: Int
    private let queue = Mutex(Queue())
    private let ready = DispatchSemaphore(value: 0)

    init(threads: Int, capacity: Int) {
        threadCount = max(1, threads)
        self.capacity = max(1, capacity)
    }

    /// Starts the threads; each one enters `group` and leaves it when it exits after `stop()`.
    func start(namePrefix: String, group: DispatchGroup) {
        for index in 0..<threadCount {
            group.enter()
            let thread = Thread { [self] in
                work()
                group.leave()
            }
            thread.name = "\(namePrefix)-\(index)"
            thread.start()
        }
    }

    /// Queues `item`; false when `capacity` items already wait or the pool has stopped.
    func submit(_ item: HTTPWorkItem) -> Bool {
        let queued = queue.withLock { queue -> Bool in
            guard !queue.stopped, queue.items.count < capacity else { return false }
            queue.items.append(item)
            return true
        }
        if queued { ready.signal() }
        return queued
    }

    /// Drops the waiting items and lets every thread exit once its running item returns.
    func stop() {
        queue.withLock { queue in
            queue.stopped = true
            queue.items.removeAll()
        }
        for _ in 0..<threadCount { ready.signal() }
    }

    private func work() {
        while true {
            ready.wait()
            let next = queue.withLock { queue -> HTTPWorkItem?? in
                if queue.stopped { return .none }
                return .some(queue.items.isEmpty ? nil : queue.items.removeFirst())
            }
            guard let item = next else { return }
            item?.run()
        }
    }
}
