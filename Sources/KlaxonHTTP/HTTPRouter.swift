import KlaxonRuntime

/// Dispatches requests by path (exact, or longest matching prefix) and method.
///
/// Unknown path: 404. Known path, other method: 405 with `Allow`. `HEAD` uses the `GET` route
/// unless one is registered for `HEAD`. A thrown `HTTPError` becomes its response; any other
/// error a 500 (logged, not shown to the client).
package struct HTTPRouter: HTTPHandler {
    /// What a route runs: may throw `HTTPError` to answer with its status.
    package typealias Route = @Sendable (HTTPRequest) throws -> HTTPResponse

    private var exact: [String: [String: Route]] = [:]
    private var prefixes: [(prefix: String, methods: [String: Route])] = []
    /// Routes that run on a worker thread, by path then method; every other route runs on the I/O thread.
    private var onWorkers: [String: Set<String>] = [:]
    /// The same for prefix routes, by prefix then method.
    private var prefixesOnWorkers: [String: Set<String>] = [:]
    private let logger: Logger

    package init(logger: Logger = .disabled) {
        self.logger = logger
    }

    /// Routes `method` requests whose decoded path is exactly `path`; `execution` says where the
    /// route runs (`.worker` for one that may run long or block).
    package mutating func add(
        _ method: String, _ path: String, execution: HTTPExecution = .ioThread, _ route: @escaping Route
    ) {
        exact[path, default: [:]][method] = route
        if execution == .worker {
            onWorkers[path, default: []].insert(method)
        } else {
            onWorkers[path]?.remove(method)
        }
    }

    /// `.worker` for a route added with it (`HEAD` follows `GET`), else `.ioThread`.
    package func execution(for request: HTTPRequest) -> HTTPExecution {
        let methods: Set<String>?
        if exact[request.path] != nil {
            methods = onWorkers[request.path]
        } else if let prefix = prefixes.first(where: { request.path.hasPrefix($0.prefix) })?.prefix {
            methods = prefixesOnWorkers[prefix]
        } else {
            methods = nil
        }
        guard let methods else { return .ioThread }
        let method = request.method == "HEAD" && exact[request.path]?["HEAD"] == nil ? "GET" : request.method
        return methods.contains(method) ? .worker : .ioThread
    }

    /// Routes `method` requests whose decoded path starts with `prefix` (e.g. `/metrics/job/`);
    /// `execution` as for `add`.
    package mutating func addPrefix(
        _ method: String, _ prefix: String, execution: HTTPExecution = .ioThread, _ route: @escaping Route
    ) {
        if execution == .worker {
            prefixesOnWorkers[prefix, default: []].insert(method)
        } else {
            prefixesOnWorkers[prefix]?.remove(method)
        }
        if let index = prefixes.firstIndex(where: { $0.prefix == prefix }) {
            prefixes[index].methods[method] = route
        } else {
            prefixes.append((prefix, [method: route]))
            prefixes.sort { $0.prefix.utf8.count > $1.prefix.utf8.count }
        }
    }

    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        guard let methods = routes(for: request.path) else {
            return HTTPError(.notFound, message: "No route for path \(request.path).").response
        }
        guard let route = methods[request.method] ?? (request.method == "HEAD" ? methods["GET"] : nil) else {
            let allowed = allowedMethods(methods)
            return HTTPError(
                .methodNotAllowed,
                message: "Method \(request.method) is not allowed for \(request.path); allowed: \(allowed).",
                headers: ["Allow": allowed]
            ).response
        }
        do {
            return try route(request)
        } catch let error as HTTPError {
            return error.response
        } catch {
            logger.error(
                "HTTP handler failed", ["http.path": request.path, "http.method": request.method, "error": "\(error)"])
            return HTTPError(.internalServerError, message: "Internal server error.").response
        }
    }

    private func routes(for path: String) -> [String: Route]? {
        if let methods = exact[path] { return methods }
        return prefixes.first { path.hasPrefix($0.prefix) }?.methods
    }

    private func allowedMethods(_ methods: [String: Route]) -> String {
        var names = Set(methods.keys)
        if names.contains("GET") { names.insert("HEAD") }
        return names.sorted().joined(separator: ", ")
    }
}
