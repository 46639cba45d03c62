import Foundation
import KlaxonHTTP
import KlaxonMetrics
import KlaxonPromQL
import KlaxonRuntime

/// Prometheus's query API over the samples Klaxon holds, so Grafana can use Klaxon itself as a
/// Prometheus data source:
///
/// - `GET|POST /api/v1/query?query=…&time=…`: an instant query;
/// - `GET|POST /api/v1/query_range?query=…&start=…&end=…&step=…`: a range query (at most 11 000
///   points per series);
/// - `GET|POST /api/v1/series?match[]=…&start=…&end=…`, `/api/v1/labels`, `/api/v1/label/<name>/values`.
///
/// Times are Unix seconds (fractions allowed) or RFC 3339; `step` is seconds or a duration (`15s`).
/// A POST may carry the parameters as an `application/x-www-form-urlencoded` body. A query that
/// does not parse, or a bad parameter, gets 400 `bad_data`; an evaluation failure, or loading
/// more than `max_samples`, 422 `execution`; a query still running at `timeout`, 503 `timeout`,
/// as Prometheus answers.
///
/// Requests run on the HTTP server's worker threads (`HTTPExecution.worker`), never on an I/O
/// thread: a slow one delays no push, scrape or other request.
package struct QueryAPI: Sendable {
    /// Evaluates query text, already known to parse, at a Unix-millisecond instant within a budget.
    package typealias Evaluate =
        @Sendable (_ query: String, _ time: Int64, _ budget: QueryBudget) throws(PromQLError) -> QueryValue
    /// Evaluates query text, already known to parse, at every `step` from `start` to `end` (Unix ms).
    package typealias EvaluateRange =
        @Sendable (_ query: String, _ start: Int64, _ end: Int64, _ step: Int64, _ budget: QueryBudget)
        throws(PromQLError) -> [SeriesSamples]
    /// The labels of the series matching one of the selectors (every series when there is none)
    /// with a sample in `[start, end]`, sorted.
    package typealias SeriesLabels =
        @Sendable (_ selectors: [[LabelMatcher]], _ start: Int64, _ end: Int64, _ budget: QueryBudget)
        throws(QueryLimitError) -> [Labels]

    /// The instant query route.
    package static let path = "/api/v1/query"
    /// The range query route.
    package static let rangePath = "/api/v1/query_range"
    /// The series route.
    package static let seriesPath = "/api/v1/series"
    /// The label names route.
    package static let labelsPath = "/api/v1/labels"
    /// The label values routes start with this, then `<name>/values`.
    package static let labelValuesPrefix = "/api/v1/label/"
    /// Every exact route, for the HTTP metrics' `path` label.
    package static let exactPaths = [path, rangePath, seriesPath, labelsPath, buildInfoPath, metadataPath]
    /// Longest query text accepted; real queries are far shorter.
    package static let maxQueryBytes = 64 << 10

    let evaluate: Evaluate
    let evaluateRange: EvaluateRange
    let seriesLabels: SeriesLabels
    let familyMetadata: @Sendable () -> [FamilyMetadata]
    let clock: any WallClock
    private let limits: QueryLimits
    private let deadlineClock: any MonotonicClock

    /// `clock` gives the default evaluation time; each request gets `limits`, timed on
    /// `deadlineClock` from when its work starts.
    package init(
        clock: any WallClock, limits: QueryLimits = QueryLimits(),
        deadlineClock: any MonotonicClock = SystemMonotonicClock(), evaluate: @escaping Evaluate,
        evaluateRange: @escaping EvaluateRange, seriesLabels: @escaping SeriesLabels,
        familyMetadata: @escaping @Sendable () -> [FamilyMetadata] = { [] }
    ) {
        self.clock = clock
        self.limits = limits
        self.deadlineClock = deadlineClock
        self.evaluate = evaluate
        self.evaluateRange = evaluateRange
        self.seriesLabels = seriesLabels
        self.familyMetadata = familyMetadata
    }

    /// Mounts `GET` and `POST` of every query route, to run on worker threads, and `GET` of the
    /// label values, metadata and build information.
    package func register(in router: inout HTTPRouter) {
        router.add("GET", Self.buildInfoPath) { _ in Self.buildInfo() }
        router.add("GET", Self.metadataPath, execution: .worker) { request in handleMetadata(request) }
        for method in ["GET", "POST"] {
            router.add(method, Self.path, execution: .worker) { request in handle(request) }
            router.add(method, Self.rangePath, execution: .worker) { request in handleRange(request) }
            router.add(method, Self.seriesPath, execution: .worker) { request in handleSeries(request) }
            router.add(method, Self.labelsPath, execution: .worker) { request in handleLabels(request) }
        }
        // Prometheus answers label values to GET alone.
        router.addPrefix("GET", Self.labelValuesPrefix, execution: .worker) { request in handleLabelValues(request) }
    }

    /// Answers an instant query.
    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        answer { () throws(QueryAPIError) -> [UInt8] in
            let parameters = try QueryParameters(request)
            let time = try parameters.time("time", default: clock.nowMilliseconds())
            let timeout = try parameters.timeout()
            let text = try parameters.query()
            try Self.checkSyntax(text)
            let value: QueryValue
            do throws(PromQLError) {
                value = try evaluate(text, time, makeBudget(timeout: timeout))
            } catch {
                throw QueryAPIError(error)
            }
            return QueryResultJSON.success(value, at: time)
        }
    }

    // MARK: - Shared steps

    /// A fresh budget for one request, starting now; a request's `timeout` can only shorten `query.timeout`.
    func makeBudget(timeout: Int64? = nil) -> QueryBudget {
        var limits = limits
        if let timeout { limits.timeoutMilliseconds = min(limits.timeoutMilliseconds, max(0, timeout)) }
        return QueryBudget(limits: limits, clock: deadlineClock)
    }

    /// Parses the query first, so that syntax errors (400) are told apart from evaluation failures (422).
    static func checkSyntax(_ text: String) throws(QueryAPIError) {
        do throws(PromQLError) {
            _ = try PromQL.parse(text)
        } catch {
            throw QueryAPIError.badData("invalid parameter \"query\": \(error.description)")
        }
    }

    /// The JSON `body` builds, or the error JSON with its status.
    func answer(_ body: () throws(QueryAPIError) -> [UInt8]) -> HTTPResponse {
        do throws(QueryAPIError) {
            return HTTPResponse.json(try body())
        } catch {
            return HTTPResponse.json(
                QueryResultJSON.error(type: error.errorType, message: error.message), status: HTTPStatus(error.status))
        }
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

    /// An evaluation failure: 503 past the deadline, else 422.
    init(_ error: PromQLError) {
        self = error.limit == .timeout ? .timeout(error.description) : .execution(error.description)
    }

    /// A metadata request stopped by its budget.
    init(_ error: QueryLimitError) {
        self = error == .timeout ? .timeout(error.description) : .execution(error.description)
    }

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
