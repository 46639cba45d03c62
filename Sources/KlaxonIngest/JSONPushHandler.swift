import KlaxonConfig
import KlaxonHTTP
import KlaxonMetrics
import KlaxonRuntime

/// `POST /api/v1/push`: a JSON batch of samples (see `JSONPushBatch` for the format).
///
/// The batch is validated whole; a refused batch gets 400 (413 when too large) with
/// `{"status":"error","errorType":"bad_data","error":"samples[3].value: …"}` and changes nothing.
/// Accepted samples are appended to the producer's series (one owner per `job`, expiring after its
/// `stale_after`) without removing others; the answer is `{"status":"success","samples":N}`.
/// After each stored batch the handler calls `seriesChanged` with the batch's sample names.
package struct JSONPushHandler: HTTPHandler {
    /// The route this handler serves.
    package static let path = "/api/v1/push"

    private let store: SeriesStore
    private let ingest: IngestConfiguration
    private let metrics: IngestMetrics
    private let clock: any WallClock
    private let logger: Logger
    private let limits: JSONPushBatch.Limits
    private let seriesChanged: @Sendable (Set<String>) -> Void

    package init(
        store: SeriesStore, ingest: IngestConfiguration, metrics: IngestMetrics, clock: any WallClock,
        logger: Logger = .disabled, limits: JSONPushBatch.Limits = JSONPushBatch.Limits(),
        seriesChanged: @escaping @Sendable (Set<String>) -> Void = { _ in }
    ) {
        self.store = store
        self.ingest = ingest
        self.metrics = metrics
        self.clock = clock
        self.logger = logger
        self.limits = limits
        self.seriesChanged = seriesChanged
    }

    /// Mounts `POST /api/v1/push`.
    package func register(in router: inout HTTPRouter) {
        router.add("POST", Self.path) { request in handle(request) }
    }

    /// The owner of a JSON producer's series: one per `job`, `json` for batches without one.
    package static func owner(job: String?) -> SeriesOwner {
        .internal(job.map { "json/\($0)" } ?? "json")
    }

    package func handle(_ request: HTTPRequest) -> HTTPResponse {
        do {
            let count = try push(request.body)
            return HTTPResponse.json(Array("{\"status\":\"success\",\"samples\":\(count)}".utf8))
        } catch {
            let body = "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\(JSONString.quoted(error.message))}"
            return HTTPResponse.json(Array(body.utf8), status: HTTPStatus(error.status))
        }
    }

    /// Validates and applies one batch; returns the number of samples stored.
    package func push(_ body: [UInt8]) throws(IngestRejection) -> Int {
        do throws(IngestRejection) {
            let batch: JSONPushBatch
            do {
                batch = try JSONPushBatch(decoding: body, limits: limits)
            } catch {
                throw IngestRejection(
                    Self.reason(for: error.kind), status: error.kind == .tooLarge ? 413 : 400, error.description)
            }
            let staleAfter = ingest.staleAfterMilliseconds(forJob: batch.job ?? "")
            do {
                try store.append(
                    owner: Self.owner(job: batch.job), batch.families, now: clock.nowMilliseconds(),
                    staleAfter: staleAfter)
            } catch {
                throw IngestRejection(IngestRejection.reason(for: error), error.description)
            }
            metrics.ingested(batch.sampleCount, path: .json)
            seriesChanged(batch.families.sampleNames)
            return batch.sampleCount
        } catch {
            metrics.rejected(path: .json, reason: error.reason)
            logger.warning("JSON push refused", ["push.reason": error.reason.rawValue, "error": error.message])
            throw error
        }
    }

    private static func reason(for kind: JSONPushError.Kind) -> IngestRejection.Reason {
        switch kind {
        case .syntax: .parse
        case .invalid: .invalid
        case .conflict: .conflict
        case .tooLarge: .tooLarge
        }
    }
}
