import Dispatch

/// Runs long synchronous work (a large file load, a whole conformance run) on a Dispatch thread.
///
/// Swift Testing runs every test on the cooperative pool, which has one thread per core: two in
/// CI. A test that computes for seconds on it starves the tests that wait on services or peers,
/// and their waits time out. Work moved here leaves the pool free while the test awaits it.
package func offCooperativePool<Value: Sendable>(
    _ work: @escaping @Sendable () throws -> Value
) async throws -> Value {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try work() })
        }
    }
}
