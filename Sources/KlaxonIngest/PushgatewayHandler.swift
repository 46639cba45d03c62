import KlaxonConfig
import KlaxonHTTP
import KlaxonMetrics
import KlaxonRuntime
import Synchronization

/// The Pushgateway-compatible push API: `PUT|POST|DELETE /metrics/job/<job>{/<label>/<value>}`.
///
/// Semantics of Pushgateway 1.5 with its consistency check on: PUT replaces the whole group, POST
/// only the families it carries, DELETE removes the group (202). A push is validated whole and
/// refused with 400 and a message (nothing applied) when it does not parse, carries timestamps,
/// clashes with stored types or exceeds the series limit. Grouping labels override a pushed
/// series' own labels of the same name. Each group carries `push_time_seconds` and
/// `push_failure_time_seconds`; a push refused after parsing sets the latter (one that does not
/// parse leaves the group untouched, as in Pushgateway). Bodies are text format 0.0.4,
/// OpenMetrics when `Content-Type` says so, or varint-delimited protobuf `MetricFamily` messages
/// (`ProtobufFamilyDecoder`, what the Go client sends); any other protobuf encoding is refused with 415.
/// Every series of a group without an `instance` label is exposed with `instance=""`, as the
/// Pushgateway exposes it (so Prometheus, with `honor_labels`, keeps it empty).
///
/// After each change the handler calls `seriesChanged` with the sample names it wrote, so the rule
/// groups reading them can be evaluated at once.
package final class PushgatewayHandler: HTTPHandler {
    private let store: SeriesStore
    private let ingest: IngestConfiguration
    private let metrics: IngestMetrics
    private let clock: any WallClock
    private let logger: Logger
    private let seriesChanged: @Sendable (Set<String>) -> Void
    let maxBodyBytes: Int
    /// Pushes run one at a time, as in Pushgateway, so reading a group's times and writing them is atomic.
    private let serial = Mutex(())

    static let pushTimeName = "push_time_seconds"
    static let failureTimeName = "push_failure_time_seconds"
    /// The series the gateway writes for every group, besides the pushed ones.
    package static let groupTimeNames: Set<String> = [pushTimeName, failureTimeName]

    package init(
        store: SeriesStore, ingest: IngestConfiguration, metrics: IngestMetrics, clock: any WallClock,
        logger: Logger = .disabled, maxBodyBytes: Int = TextFormatParser.defaultSizeLimit,
        seriesChanged: @escaping @Sendable (Set<String>) -> Void = { _ in }
    ) {
        self.store = store
        self.ingest = ingest
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.maxBodyBytes = maxBodyBytes
        self.seriesChanged = seriesChanged
    }

    /// Mounts the push routes (both `/metrics/job/` and `/metrics/job@base64/`) for PUT, POST and DELETE.
    package func register(in router: inout HTTPRouter) {
        for method in ["PUT", "POST", "DELETE"] {
            for prefix in ["/metrics/job/", "/metrics/job@base64/"] {
                router.addPrefix(method, prefix) { [self] request in handle(request) }
            }
        }
    }

    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        let key: PushGroupKey
        do {
            key = try PushGroupKey(rawPath: request.rawPath)
        } catch {
            metrics.rejected(path: .pushgateway, reason: .path)
            return HTTPResponse.text(error.description + "\n", status: .badRequest)
        }
        switch request.method {
        case "DELETE":
            delete(key)
            seriesChanged(Self.groupTimeNames)
            return HTTPResponse(status: .accepted)
        case "PUT", "POST":
            do {
                let names = try push(
                    key, body: request.body, contentType: request.headers["Content-Type"],
                    replaceAll: request.method == "PUT")
                seriesChanged(names)
                return HTTPResponse(status: .ok)
            } catch {
                return HTTPResponse.text(error.message + "\n", status: HTTPStatus(error.status))
            }
        default:
            return HTTPResponse.text(
                "method \(request.method) is not allowed for a push group; use PUT, POST or DELETE\n",
                status: .methodNotAllowed)
        }
    }

    // MARK: - Operations

    /// Removes the group and marks its series stale.
    package func delete(_ key: PushGroupKey) {
        serial.withLock { _ in store.delete(owner: .pushGroup(key.labels), now: clock.nowMilliseconds()) }
    }

    /// Applies a push: `replaceAll` for PUT (the whole group), else POST (same-named families only).
    /// Returns the sample names written, the group's time series included.
    @discardableResult
    package func push(_ key: PushGroupKey, body: [UInt8], contentType: String?, replaceAll: Bool)
        throws(IngestRejection) -> Set<String>
    {
        // Parsing happens outside the lock: only the store update and the group times need to be serial.
        let decoded: Result<[ParsedFamily], IngestRejection>
        do {
            decoded = .success(try decode(body, contentType: contentType, key: key))
        } catch {
            decoded = .failure(error)
        }
        return try serial.withLock { (_: inout ()) throws(IngestRejection) in
            let now = clock.nowMilliseconds()
            do throws(IngestRejection) {
                let families = try decoded.get()
                let samples = families.reduce(0) { $0 + $1.samples.count }
                let times = timeFamilies(
                    key, pushTime: Double(now) / 1000, failureTime: latestValue(Self.failureTimeName, key: key))
                let owner = SeriesOwner.pushGroup(key.labels)
                let staleAfter = ingest.staleAfterMilliseconds(forJob: key.job)
                do throws(SeriesStoreError) {
                    if replaceAll {
                        try store.replace(owner: owner, with: families + times, now: now, staleAfter: staleAfter)
                    } else {
                        try store.replaceFamilies(
                            owner: owner, with: families + times, now: now, staleAfter: staleAfter)
                    }
                } catch {
                    throw IngestRejection(
                        IngestRejection.reason(for: error),
                        "pushed metrics are invalid or inconsistent with existing metrics: \(error.description)")
                }
                metrics.ingested(samples, path: .pushgateway)
                return families.sampleNames.union(Self.groupTimeNames)
            } catch {
                metrics.rejected(path: .pushgateway, reason: error.reason)
                logger.warning(
                    "Push refused",
                    ["push.group": key.description, "push.reason": error.reason.rawValue, "error": error.message])
                // As in Pushgateway, a body that does not parse never reaches the group: only a refusal of what
                // parsed (timestamps, a clash with stored metrics, the series limit) sets the failure time.
                if ![.parse, .mediaType, .tooLarge].contains(error.reason) { recordFailure(key, now: now) }
                throw error
            }
        }
    }

    // MARK: - Group times

    /// `push_time_seconds` and `push_failure_time_seconds` for the group, as Pushgateway names and explains them.
    private func timeFamilies(_ key: PushGroupKey, pushTime: Double, failureTime: Double) -> [ParsedFamily] {
        [
            ParsedFamily(
                name: Self.pushTimeName, type: .gauge,
                help: "Last Unix time when changing this group in the Pushgateway succeeded.",
                samples: [ParsedSample(name: Self.pushTimeName, labels: key.labels, value: pushTime)]),
            ParsedFamily(
                name: Self.failureTimeName, type: .gauge,
                help: "Last Unix time when changing this group in the Pushgateway failed.",
                samples: [ParsedSample(name: Self.failureTimeName, labels: key.labels, value: failureTime)]),
        ]
    }

    /// Sets the group's failure time and keeps its push time; a group first seen in a refused push is created
    /// with `push_time_seconds 0`, as Pushgateway shows it.
    private func recordFailure(_ key: PushGroupKey, now: Int64) {
        let times = timeFamilies(
            key, pushTime: latestValue(Self.pushTimeName, key: key), failureTime: Double(now) / 1000)
        // Best effort: when even these two series do not fit (series limit), the refusal itself is what matters.
        try? store.replaceFamilies(
            owner: .pushGroup(key.labels), with: times, now: now,
            staleAfter: ingest.staleAfterMilliseconds(forJob: key.job))
    }

    /// The group's live value of `name`, or 0 when the group has none (new, deleted or expired).
    private func latestValue(_ name: String, key: PushGroupKey) -> Double {
        let identity = key.labels.setting(Labels.metricNameLabel, to: name)
        let matchers = identity.compactMap { try? LabelMatcher($0.name, .equal, $0.value) }
        guard let found = store.selectLatest(matchers, start: .min, end: .max).first(where: { $0.labels == identity }),
            !found.sample.isStaleMarker
        else { return 0 }
        return found.sample.value
    }
}
