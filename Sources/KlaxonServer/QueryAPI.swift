import Foundation
import KlaxonHTTP
import KlaxonMetrics
import KlaxonPromQL
import KlaxonRuntime

/// `GET|POST /api/v1/query?query=…&time=…`: an instant query answered in Prometheus's JSON.
///
/// `time` is Unix seconds (fractions allowed) or RFC 3339, default now. A POST may carry the
/// parameters as an `application/x-www-form-urlencoded` body. A query that does not parse, or a
/// bad parameter, gets 400 `bad_data`; an evaluation failure, or loading more than `max_samples`,
/// 422 `execution`; a query still running at `timeout`, 503 `timeout`, as Prometheus answers.
///
/// Queries run on the HTTP server's worker threads (`HTTPExecution.worker`), never on an I/O
/// thread: a slow one delays no push, scrape or other request.
package struct QueryAPI: Sendable {
    /// Evaluates query text, already known to parse, at a Unix-millisecond instant within a budget.
    package typealias Evaluate =
        @Sendable (_ query: String, _ time: Int64, _ budget: QueryBudget) throws(PromQLError) -> QueryValue

    /// The route this API serves.
    package static let path = "/api/v1/query"
    /// Longest query text accepted; real queries are far shorter.
    package static let maxQueryBytes = 64 << 10

    private let evaluate: Evaluate
    private let clock: any WallClock
    private let limits: QueryLimits
    private let deadlineClock: any MonotonicClock

    /// `clock` gives the default evaluation time; each query gets `limits`, timed on `deadlineClock`
    /// from when its evaluation starts.
    package init(
        clock: any WallClock, limits: QueryLimits = QueryLimits(),
        deadlineClock: any MonotonicClock = SystemMonotonicClock(), evaluate: @escaping Evaluate
    ) {
        self.clock = clock
        self.limits = limits
        self.deadlineClock = deadlineClock
        self.evaluate = evaluate
    }

    /// Mounts `GET` and `POST /api/v1/query`, to run on worker threads.
    package func register(in router: inout HTTPRouter) {
        router.add("GET", Self.path, execution: .worker) { request in handle(request) }
        router.add("POST", Self.path, execution: .worker) { request in handle(request) }
    }

    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        do throws(QueryAPIError) {
            let parameters = try Self.parameters(of: request)
            guard let text = parameters.first(where: { $0.name == "query" })?.value else {
                throw QueryAPIError.badData("invalid parameter \"query\": the query parameter is missing")
            }
            guard text.utf8.count <= Self.maxQueryBytes else {
                throw QueryAPIError.badData(
                    "invalid parameter \"query\": the query is \(text.utf8.count) bytes; the limit is \(Self.maxQueryBytes)"
                )
            }
            var time = clock.nowMilliseconds()
            if let given = parameters.first(where: { $0.name == "time" }) {
                time = try Self.parseTime(given.value)
            }
            // Parsed here first so that syntax errors are told apart from evaluation failures.
            do {
                _ = try PromQL.parse(text)
            } catch {
                throw QueryAPIError.badData("invalid parameter \"query\": \(error.description)")
            }
            let value: QueryValue
            do {
                value = try evaluate(text, time, QueryBudget(limits: limits, clock: deadlineClock))
            } catch {
                throw error.limit == .timeout ? QueryAPIError.timeout(error.description) : .execution(error.description)
            }
            return HTTPResponse.json(QueryResultJSON.success(value, at: time))
        } catch {
            return HTTPResponse.json(
                QueryResultJSON.error(type: error.errorType, message: error.message), status: HTTPStatus(error.status))
        }
    }

    // MARK: - Parameters

    /// The form body's items (POST) followed by the URL's, so the body wins as in Go's `FormValue`.
    static func parameters(of request: HTTPRequest) throws(QueryAPIError) -> [HTTPQueryItem] {
        guard request.method == "POST", !request.body.isEmpty else { return request.query }
        let contentType = request.headers["Content-Type"]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw QueryAPIError.badData(
                "a POST body must be application/x-www-form-urlencoded (query=…&time=…), not \(contentType.prefix(64))")
        }
        guard let form = String(validating: request.body, as: UTF8.self) else {
            throw QueryAPIError.badData("the form body is not valid UTF-8")
        }
        // The request type decodes a target's query string; a form body uses the same encoding.
        let decoded = HTTPRequest(method: "POST", target: "/?" + form).query
        return decoded + request.query
    }

    /// Unix seconds (`1700000000.123`) or RFC 3339 (`2023-11-14T22:13:20.123Z`) to Unix milliseconds.
    static func parseTime(_ text: String) throws(QueryAPIError) -> Int64 {
        if let seconds = Double(text), seconds.isFinite, abs(seconds) < 9e15 {
            let whole = seconds.rounded(.towardZero)
            let fraction = ((seconds - whole) * 1000).rounded()
            return Int64(whole) * 1000 + Int64(fraction)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if text.utf8.count <= 64, let date = formatter.date(from: text) {
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        formatter.formatOptions = [.withInternetDateTime]
        if text.utf8.count <= 64, let date = formatter.date(from: text) {
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        throw QueryAPIError.badData(
            "invalid parameter \"time\": cannot parse \"\(text.prefix(64))\" to a valid timestamp; "
                + "use Unix seconds (e.g. 1700000000.5) or RFC 3339 (e.g. 2023-11-14T22:13:20Z)")
    }
}

/// Why a query was refused, in the error classes of Prometheus's API.
package enum QueryAPIError: Error, Sendable, Equatable {
    /// A parameter is missing or malformed, or the query does not parse: 400.
    case badData(String)
    /// The query parsed but could not be evaluated, or would load too many samples: 422.
    case execution(String)
    /// The query ran past its deadline: 503.
    case timeout(String)

    var errorType: String {
        switch self {
        case .badData: "bad_data"
        case .execution: "execution"
        case .timeout: "timeout"
        }
    }

    var status: Int {
        switch self {
        case .badData: 400
        case .execution: 422
        case .timeout: 503
        }
    }

    var message: String {
        switch self {
        case .badData(let message), .execution(let message), .timeout(let message): message
        }
    }
}
