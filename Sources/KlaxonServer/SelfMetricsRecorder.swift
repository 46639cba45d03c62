import KlaxonMetrics
import KlaxonRuntime

/// Records Klaxon's own metrics into its series store every `interval`, as a Prometheus scraping
/// itself would, so queries, dashboards using Klaxon as their data source, and rules can read them.
///
/// Each pass renders the registry (after `refresh`, the same update `/metrics` runs), reads it back
/// with the text parser and replaces the owner `SeriesOwner.selfMetrics` with it. Series get
/// `job="klaxon"` and `instance` (the listen address) unless they carry their own, as a scrape with
/// `honor_labels: true` would label them. `/metrics` does not show the recorded copy: the registry
/// renders its live values under the same family names (`MetricRegistry.render`).
package struct SelfMetricsRecorder: Service {
    /// Sleeps for a duration; throws when the task is cancelled.
    package typealias Sleep = @Sendable (Duration) async throws -> Void

    /// The `job` label of the recorded series.
    package static let job = "klaxon"

    package let name = "self-metrics"
    private let registry: MetricRegistry
    private let store: SeriesStore
    private let instance: @Sendable () -> String
    private let refresh: @Sendable () -> Void
    private let clock: any WallClock
    private let interval: Duration
    private let logger: Logger
    private let sleep: Sleep

    /// `instance` is asked on each pass, since the port is known only once the listener is bound.
    package init(
        registry: MetricRegistry, store: SeriesStore, instance: @escaping @Sendable () -> String,
        refresh: @escaping @Sendable () -> Void, clock: any WallClock, interval: Duration = .seconds(5),
        logger: Logger, sleep: @escaping Sleep = { try await Task.sleep(for: $0) }
    ) {
        self.registry = registry
        self.store = store
        self.instance = instance
        self.refresh = refresh
        self.clock = clock
        self.interval = interval
        self.logger = logger
        self.sleep = sleep
    }

    /// Records once at start, then every `interval` until cancelled.
    package func run() async throws {
        var failing = false
        while !Task.isCancelled {
            let error = recordOnce()
            // One line when recording starts failing and one when it recovers, not one per pass.
            if let error, !failing {
                logger.warning("recording self-metrics into the store failed", ["error": error])
            } else if error == nil, failing {
                logger.info("recording self-metrics into the store works again")
            }
            failing = error != nil
            do {
                try await sleep(interval)
            } catch {
                return
            }
        }
    }

    /// One pass; returns why the store refused it, or nil.
    @discardableResult
    package func recordOnce() -> String? {
        refresh()
        let text = registry.render(with: nil, format: .text)
        let families: [ParsedFamily]
        do {
            families = try TextFormatParser().parse(text)
        } catch {
            return "Klaxon's own exposition did not parse: \(error.description)"
        }
        let target = [Label("instance", instance()), Label("job", Self.job)]
        let labelled = families.map { family in
            var family = family
            family.samples = family.samples.map { sample in
                var sample = sample
                // honor_labels: a label the series has wins over the target's.
                let missing = target.filter { sample.labels[$0.name] == nil }
                sample.labels = sample.labels.merging(missing)
                return sample
            }
            return family
        }
        do {
            try store.replace(owner: .selfMetrics, with: labelled, now: clock.nowMilliseconds(), staleAfter: .max)
            return nil
        } catch {
            return error.description
        }
    }
}

extension SeriesOwner {
    /// The owner of the self-metrics `SelfMetricsRecorder` writes into the store.
    package static let selfMetrics = SeriesOwner.internal("klaxon self-metrics")
}
