/// A condition a test waited for did not come true in time.
package struct WaitTimeoutError: Error, CustomStringConvertible {
    /// What the test was waiting for, in words.
    package let what: String
    /// How long it waited.
    package let timeout: Duration

    package var description: String {
        "timed out after \(timeout) waiting for \(what)"
    }
}

/// Polls `condition` every `poll` until it returns true; throws `WaitTimeoutError` after `timeout`.
///
/// The default timeout is generous because it only bounds how long a failing test takes: on two
/// busy cores a condition that holds in milliseconds can take seconds to be observed.
///
/// This waits on an observable condition (a log line, a port, an exit), never for work to happen
/// to be done after a fixed time.
package func waitUntil(
    _ what: String,
    timeout: Duration = .seconds(30),
    poll: Duration = .milliseconds(20),
    condition: () async throws -> Bool
) async throws {
    _ = try await waitFor(what, timeout: timeout, poll: poll) { try await condition() ? true : nil }
}

/// Polls `produce` every `poll` until it returns a value, and returns it; throws after `timeout`.
package func waitFor<Value>(
    _ what: String,
    timeout: Duration = .seconds(30),
    poll: Duration = .milliseconds(20),
    produce: () async throws -> Value?
) async throws -> Value {
    let clock = ContinuousClock()
    let deadline = clock.now.advanced(by: timeout)
    while true {
        if let value = try await produce() {
            return value
        }
        guard clock.now < deadline else {
            throw WaitTimeoutError(what: what, timeout: timeout)
        }
        try await clock.sleep(for: poll)
    }
}
