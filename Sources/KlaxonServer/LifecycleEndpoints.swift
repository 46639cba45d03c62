import KlaxonHTTP

/// `GET /-/healthy`, `GET /-/ready` and `POST|PUT /-/reload`, as Prometheus answers them.
///
/// Healthy means the process serves HTTP. Ready means the store is up and the rule files of the
/// configuration have been loaded once. Reload re-reads the configuration's rule files and
/// answers 200 when that worked, 500 with the reason when it did not.
package struct LifecycleEndpoints: Sendable {
    /// The routes served here.
    package static let paths = ["/-/healthy", "/-/ready", "/-/reload"]

    private let reloader: ReloadController

    package init(reloader: ReloadController) {
        self.reloader = reloader
    }

    /// Mounts the three routes.
    package func register(in router: inout HTTPRouter) {
        router.add("GET", "/-/healthy") { _ in .text("Klaxon is Healthy.\n") }
        router.add("GET", "/-/ready") { [reloader] _ in
            reloader.isReady
                ? .text("Klaxon is Ready.\n")
                : .text("Service Unavailable: the rule files are not loaded yet.\n", status: .serviceUnavailable)
        }
        for method in ["POST", "PUT"] {
            router.add(method, "/-/reload") { [reloader] _ in
                let outcome = reloader.reload(reason: "http")
                guard outcome.succeeded else {
                    let lines = ([outcome.message] + outcome.problems).joined(separator: "\n")
                    return .text("failed to reload: \(lines)\n", status: .internalServerError)
                }
                return .text(outcome.message + "\n")
            }
        }
    }
}
