import Foundation

/// Runs `body` on a new thread and waits for it without holding a thread of the concurrency pool.
///
/// For a test client that blocks on its sockets while a task it awaits later (the one running
/// `server.run()`) must still be scheduled: on two cores the pool has two threads, and other tests
/// may hold both. What the client saw is returned, to be checked in the test's own context.
func onOwnThread<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
        Thread.detachNewThread {
            continuation.resume(with: Swift.Result { try body() })
        }
    }
}
