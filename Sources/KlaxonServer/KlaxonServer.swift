import KlaxonConfig
import KlaxonHTTP
import KlaxonIngest
import KlaxonMetrics
import KlaxonPromQL
import KlaxonRules
import KlaxonRuntime

/// The Klaxon application: the series store, self-metrics, HTTP routes and long-running services,
/// built from resolved `ServerSettings`.
///
/// `bind()` opens the listener (so a port in use fails before anything is announced),
/// `reloader.loadInitial()` loads the rule files, then `makeServiceGroup` runs the HTTP server,
/// rule manager, scrape manager and stale expiry until a stop signal.
package final class KlaxonServer: Sendable {
    /// What the server was built from.
    package let settings: ServerSettings
    /// Every pushed, scraped and recorded series.
    package let store: SeriesStore
    /// Klaxon's own metrics, rendered on `/metrics` beside the store.
    package let registry: MetricRegistry
    /// The router wrapped in request counting and timing: what the HTTP server calls.
    package let handler: InstrumentedHandler
    /// Evaluates the rule groups on their intervals and after pushes that change what they read.
    package let rules: RuleManager
    /// Loads rule files at startup and on reload; answers `/-/ready`.
    package let reloader: ReloadController
    /// The HTTP listener.
    package let http: HTTPServer
    /// Everything the service group runs: HTTP server, rule manager, stale expiry, scrape manager.
    package let services: [any Service]
    private let logger: Logger

    /// Builds the server; nothing listens until `bind()` or the service group runs.
    package init(
        settings: ServerSettings, processEnvironment: [String: String] = [:], logger: Logger,
        clock: any WallClock = SystemWallClock()
    ) throws(KlaxonServerError) {
        let configuration = settings.configuration
        self.settings = settings
        self.logger = logger
        store = SeriesStore(options: Self.storeOptions(for: configuration))
        registry = MetricRegistry()
        let serverMetrics: ServerMetrics
        let ingestMetrics: IngestMetrics
        let ruleMetrics: RuleStatusMetrics
        do {
            serverMetrics = try ServerMetrics(registry: registry)
            ingestMetrics = try IngestMetrics(registry: registry)
            ruleMetrics = try RuleStatusMetrics(registry: registry)
        } catch {
            throw KlaxonServerError(message: "registering self-metrics failed: \(error.description)")
        }
        let output = RuleOutput(store: store, logger: logger)
        let rules = RuleManager(
            options: RuleManagerOptions(
                load: RuleLoadOptions(defaultInterval: configuration.evaluationIntervalMilliseconds),
                externalLabels: configuration.externalLabels),
            dependencies: RuleManagerDependencies(
                source: store, append: { owner, samples in output.append(owner: owner, samples: samples) },
                notify: { report in output.report(report) }, clock: clock, logger: logger))
        self.rules = rules
        reloader = ReloadController(
            settings: settings, rules: rules, processEnvironment: processEnvironment, logger: logger)

        var router = HTTPRouter(logger: logger)
        Self.registerPushRoutes(in: &router, configuration: configuration, store: store, metrics: ingestMetrics,
            rules: rules, clock: clock, logger: logger)
        MetricsEndpoint(registry: registry, store: store, metrics: serverMetrics, logger: logger) {
            ruleMetrics.update(from: rules.status)
        }.register(in: &router)
        QueryAPI(clock: clock) { (text, time) throws(PromQLError) in try rules.query(text, at: time) }
            .register(in: &router)
        LifecycleEndpoints(reloader: reloader).register(in: &router)
        handler = InstrumentedHandler(
            router: router, metrics: serverMetrics,
            exactRoutes: Set([MetricsEndpoint.path, QueryAPI.path, JSONPushHandler.path] + LifecycleEndpoints.paths),
            prefixRoutes: ["/metrics/job/", "/metrics/job@base64/"])

        http = HTTPServer(configuration: Self.httpConfiguration(for: configuration, clock: clock), handler: handler, logger: logger)
        var services: [any Service] = [http, rules, StaleExpiryService(store: store, clock: clock, logger: logger)]
        if !configuration.scrapeConfigs.isEmpty {
            services.append(
                ScrapeManager(
                    configurations: configuration.scrapeConfigs, store: store, metrics: ingestMetrics, clock: clock,
                    logger: logger, maxResponseBytes: configuration.server.maxBodyBytes))
        }
        self.services = services
    }

    /// Mounts the Pushgateway and JSON push routes; a push that changed series wakes the rule
    /// groups that read them (`eval_on_push`).
    private static func registerPushRoutes(
        in router: inout HTTPRouter, configuration: KlaxonConfiguration, store: SeriesStore, metrics: IngestMetrics,
        rules: RuleManager, clock: any WallClock, logger: Logger
    ) {
        let pushgateway = PushgatewayHandler(
            store: store, ingest: configuration.ingest, metrics: metrics, clock: clock, logger: logger,
            maxBodyBytes: configuration.server.maxBodyBytes)
        for method in ["PUT", "POST", "DELETE"] {
            for prefix in ["/metrics/job/", "/metrics/job@base64/"] {
                router.addPrefix(method, prefix) { request in
                    let response = pushgateway.handle(request)
                    if response.status.code == 200 {
                        rules.seriesChanged(metricNames: PushedMetricNames.text(request.body))
                    } else if response.status.code == 202 {
                        rules.seriesChanged(metricNames: PushedMetricNames.pushgatewayTimes)
                    }
                    return response
                }
            }
        }
        let json = JSONPushHandler(
            store: store, ingest: configuration.ingest, metrics: metrics, clock: clock, logger: logger,
            limits: JSONPushBatch.Limits(maxBytes: configuration.server.maxBodyBytes))
        router.add("POST", JSONPushHandler.path) { request in
            let response = json.handle(request)
            if response.status.code == 200 {
                rules.seriesChanged(metricNames: PushedMetricNames.json(request.body))
            }
            return response
        }
    }

    // MARK: - Running

    /// Opens the listener; returns the bound port. Throws with a sentence naming the address.
    @discardableResult
    package func bind() throws(KlaxonServerError) -> Int {
        do {
            try http.start()
        } catch {
            throw KlaxonServerError(
                message: "cannot listen on \(settings.listenDescription): \(error.reason); "
                    + "stop whatever uses that address or choose another with --listen or server.listen")
        }
        return http.port ?? settings.configuration.server.listen.port
    }

    /// A group running every service; `SIGHUP` reloads the rule files.
    package func makeServiceGroup(configuration: ServiceGroup.Configuration) -> ServiceGroup {
        ServiceGroup(services: services, configuration: configuration, logger: logger) { [reloader, logger] in
            logger.info("reload requested", ["reload.reason": "SIGHUP"])
            _ = reloader.reload(reason: "SIGHUP")
        }
    }

    // MARK: - Sizing

    /// Store limits from the configuration: retention and series limit as configured, and at most
    /// one sample per second of retention per series (bounded to 1 min…1 day of 1 s samples), so a
    /// series pushed faster keeps its newest samples instead of growing without bound.
    package static func storeOptions(for configuration: KlaxonConfiguration) -> SeriesStoreOptions {
        let retention = configuration.ingest.retentionMilliseconds
        let samples = Int(min(max(retention / 1000, 60), 86_400))
        return SeriesStoreOptions(
            retention: retention, maxSamplesPerSeries: samples, maxSeries: configuration.ingest.seriesLimit,
            defaultStaleAfter: configuration.ingest.staleAfterMilliseconds)
    }

    /// The HTTP server's limits from `server:`.
    package static func httpConfiguration(for configuration: KlaxonConfiguration, clock: any WallClock)
        -> HTTPServerConfiguration
    {
        let server = configuration.server
        return HTTPServerConfiguration(
            host: server.listen.host.isEmpty ? "0.0.0.0" : server.listen.host,
            port: server.listen.port,
            ioThreads: server.ioThreads,
            maxConnections: server.maxConnections,
            idleTimeout: .milliseconds(server.idleTimeoutMilliseconds),
            requestReadTimeout: .milliseconds(server.readTimeoutMilliseconds),
            limits: HTTPParserLimits(maxBodyBytes: server.maxBodyBytes),
            clock: clock)
    }
}

/// Why the server could not be built or could not listen.
package struct KlaxonServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A sentence naming what failed and what to do.
    package let message: String
    package var description: String { message }
}
