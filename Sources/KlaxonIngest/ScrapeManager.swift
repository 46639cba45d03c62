import Dispatch
import KlaxonConfig
import KlaxonHTTP
import KlaxonMetrics
import KlaxonRuntime

/// Scrapes every target of the `scrape_configs` on its interval until cancelled.
///
/// Each target runs its own loop: the first scrape at once, then at start + k × interval (a slow
/// scrape never shifts later ones; missed slots are skipped). A scrape GETs the target within its
/// timeout, parses the body and replaces the target's series in the store, so series that
/// disappear go stale. `up`, `scrape_duration_seconds` and `scrape_samples_scraped` are written
/// with every scrape; a failed one writes `up 0`, lets the earlier series go stale, logs a warning
/// with `scrape.target` (again only when the error changes) and the loop goes on. On stop the
/// series are left to expire after three intervals.
package struct ScrapeManager: Service {
    /// Sleeps for a duration; throws when the task is cancelled.
    package typealias Sleep = @Sendable (Duration) async throws -> Void

    package let name = "scrape"
    /// Every target of every job.
    package let targets: [ScrapeTarget]
    private let store: SeriesStore
    private let metrics: IngestMetrics
    private let clock: any WallClock
    private let sleep: Sleep
    private let logger: Logger
    private let maxResponseBytes: Int

    package init(
        configurations: [ScrapeConfiguration], store: SeriesStore, metrics: IngestMetrics, clock: any WallClock,
        logger: Logger, maxResponseBytes: Int = 16 << 20,
        sleep: @escaping Sleep = { try await Task.sleep(for: $0) }
    ) {
        self.targets = configurations.flatMap(ScrapeTarget.targets(of:))
        self.store = store
        self.metrics = metrics
        self.clock = clock
        self.sleep = sleep
        self.logger = logger
        self.maxResponseBytes = maxResponseBytes
    }

    package func run() async throws {
        guard !targets.isEmpty else {
            // A service runs until cancelled, even with nothing to scrape.
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: .seconds(3600))
                } catch {
                    return
                }
            }
            return
        }
        await withTaskGroup(of: Void.self) { group in
            for target in targets {
                group.addTask { await loop(target) }
            }
        }
    }

    /// One target's loop; returns when the task is cancelled.
    func loop(_ target: ScrapeTarget) async {
        var next = clock.nowMilliseconds()
        var lastError: String?
        while !Task.isCancelled {
            let result = await scrape(target)
            if let error = result.error, error != lastError {
                logger.warning(
                    "Scrape failed", ["scrape.job": target.job, "scrape.target": target.url, "error": error])
            } else if result.error == nil, lastError != nil {
                logger.info("Scrape recovered", ["scrape.job": target.job, "scrape.target": target.url])
            }
            lastError = result.error
            let now = clock.nowMilliseconds()
            next += target.intervalMilliseconds
            if next <= now { next += ((now - next) / target.intervalMilliseconds + 1) * target.intervalMilliseconds }
            do {
                try await sleep(.milliseconds(next - now))
            } catch {
                return
            }
        }
    }

    /// What one scrape did.
    package struct Result: Sendable, Equatable {
        /// Samples the target exposed (0 on failure).
        package var samples: Int
        /// Why the scrape failed, nil when it succeeded.
        package var error: String?

        package init(samples: Int, error: String?) {
            self.samples = samples
            self.error = error
        }
    }

    /// Scrapes `target` once and writes the outcome to the store.
    @discardableResult
    package func scrape(_ target: ScrapeTarget) async -> Result {
        let started = ContinuousClock.now
        let fetched = await fetch(target)
        let now = clock.nowMilliseconds()
        var result = Result(samples: 0, error: nil)
        do throws(ScrapeError) {
            let families = try target.parse(fetched.get())
            result.samples = families.reduce(0) { $0 + $1.samples.count }
            let seconds = Self.seconds(since: started)
            let synthetic = target.syntheticFamilies(up: true, durationSeconds: seconds, samplesScraped: result.samples)
            do {
                try store.replace(
                    owner: target.owner, with: target.attachLabels(to: families) + synthetic, now: now,
                    staleAfter: target.staleAfterMilliseconds)
            } catch {
                metrics.rejected(path: .scrape, reason: IngestRejection.reason(for: error))
                throw ScrapeError("the store refused the scraped series: \(error.description)")
            }
            metrics.ingested(result.samples, path: .scrape)
            metrics.scraped(job: target.job, instance: target.instance, seconds: seconds)
        } catch {
            result.error = error.description
            if case .failure = fetched { metrics.rejected(path: .scrape, reason: .unreachable) }
            let seconds = Self.seconds(since: started)
            metrics.scraped(job: target.job, instance: target.instance, seconds: seconds)
            let synthetic = target.syntheticFamilies(up: false, durationSeconds: seconds, samplesScraped: 0)
            do {
                try store.replace(
                    owner: target.owner, with: synthetic, now: now, staleAfter: target.staleAfterMilliseconds)
            } catch {
                logger.error(
                    "Cannot record a failed scrape",
                    ["scrape.job": target.job, "scrape.target": target.url, "error": error.description])
            }
        }
        return result
    }

    /// GETs the target on a dispatch thread: `HTTPClient` blocks, which the cooperative pool must not.
    private func fetch(_ target: ScrapeTarget) async -> Swift.Result<HTTPClientResponse, ScrapeError> {
        let client = HTTPClient(timeout: .milliseconds(target.timeoutMilliseconds), maxResponseBytes: maxResponseBytes)
        let headers: HTTPHeaders = [
            "Accept": target.acceptHeader,
            "User-Agent": "Klaxon",
            "X-Prometheus-Scrape-Timeout-Seconds": Self.secondsText(milliseconds: target.timeoutMilliseconds),
        ]
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                do throws(HTTPClientError) {
                    continuation.resume(returning: .success(try client.get(target.url, headers: headers)))
                } catch {
                    continuation.resume(returning: .failure(ScrapeError(error.description)))
                }
            }
        }
    }

    /// `10`, `2.5`: seconds as Prometheus writes the scrape timeout header.
    static func secondsText(milliseconds: Int64) -> String {
        milliseconds % 1000 == 0 ? "\(milliseconds / 1000)" : "\(Double(milliseconds) / 1000)"
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let (seconds, attoseconds) = (ContinuousClock.now - start).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
