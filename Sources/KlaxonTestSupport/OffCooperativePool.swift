import Foundation

/// Runs long or blocking synchronous work (a large file load, a whole conformance run, a
/// graceful stop, a child process) on a thread of its own.
///
/// Swift Testing runs every test on the cooperative pool, which has one thread per core: two in
/// CI. A test that computes or blocks for seconds on it starves the tests that wait on services
/// or peers, and their waits time out. A fresh thread per call, rather than a Dispatch global
/// queue with its own small pool, never holds up other blocking work.
package func offCooperativePool<Value: Sendable>(
    _ work: @escaping @Sendable () throws -> Value
) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try work() })
        }
        thread.name = "klaxon-test-offload"
        thread.start()
    }
}
