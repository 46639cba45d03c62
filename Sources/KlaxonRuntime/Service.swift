/// A long-running part of Klaxon (HTTP server, scrape loop, rule evaluation…).
///
/// `run()` returns when the service has finished. Task cancellation is the request to
/// stop gracefully: a service stops taking new work, finishes what is in flight, then returns.
package protocol Service: Sendable {
    /// A short name for logs, e.g. `http` or `scrape`.
    var name: String { get }

    func run() async throws
}
