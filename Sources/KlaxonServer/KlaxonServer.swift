import KlaxonConfig
import KlaxonHTTP
import KlaxonIngest
import KlaxonMetrics
import KlaxonPromQL
import KlaxonRuntime

/// The Klaxon application: the series store, self-metrics, HTTP routes and long-running services,
/// built from resolved `ServerSettings`.
///
/// `bind()` opens the listener (so a port in use fails before anything is announced), then
/// `makeServiceGroup` runs the HTTP server, scrape manager and stale expiry until a stop signal.
package final class KlaxonServer: Sendable {
    /// What the server was built from.
    package let settings: ServerSettings
    /// Every pushed, scraped and recorded series.
    package let store: SeriesStore
    /// Klaxon's own metrics, rendered on `/metrics` beside the store.
    package let registry: MetricRegistry
    /// The router wrapped in request counting and timing: what the HTTP server calls.
    package let handler: InstrumentedHandler
    /// Loads rule files at startup and on reload; answers `/-/ready`.
    package let reloader: ReloadController
    /// The HTTP listener.
    package let http: HTTPServer
    /// Everything the service group runs: HTTP server, scrape manager, stale expiry.
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
        do {
            serverMetrics = try ServerMetrics(registry: registry)
            ingestMetrics = try IngestMetrics(registry: registry)
        } catch {
            throw KlaxonServerError(message: "registering self-metrics failed: \(error.description)")
        }
        reloader = ReloadController(settings: settings, processEnvironment: processEnvironment, logger: logger)

        var router = HTTPRouter(logger: logger)
        let pushgateway = PushgatewayHandler(
            store: store, ingest: configuration.ingest, metrics: ingestMetrics, clock: clock, logger: logger,
            maxBodyBytes: configuration.server.maxBodyBytes)
        pushgateway.register(in: &router)
        JSONPushHandler(
            store: store, ingest: configuration.ingest, metrics: ingestMetrics, clock: clock, logger: logger,
            limits: JSONPushBatch.Limits(maxBytes: configuration.server.maxBodyBytes)
        ).register(in: &router)
        MetricsEndpoint(registry: registry, store: store, metrics: serverMetrics, logger: logger).register(in: &router)
        let evaluator = Evaluator(source: store)
        QueryAPI(clock: clock) { (expr, time) throws(PromQLError) in try evaluator.evaluate(expr, at: time) }
            .register(in: &router)
        LifecycleEndpoints(reloader: reloader).register(in: &router)
        handler = InstrumentedHandler(
            router: router, metrics: serverMetrics,
            exactRoutes: Set([MetricsEndpoint.path, QueryAPI.path, JSONPushHandler.path] + LifecycleEndpoints.paths),
            prefixRoutes: ["/metrics/job/", "/metrics/job@base64/"])

        http = HTTPServer(configuration: Self.httpConfiguration(for: configuration, clock: clock), handler: handler, logger: logger)
        var services: [any Service] = [http, StaleExpiryService(store: store, clock: clock, logger: logger)]
        if !configuration.scrapeConfigs.isEmpty {
            services.append(
                ScrapeManager(
                    configurations: configuration.scrapeConfigs, store: store, metrics: ingestMetrics, clock: clock,
                    logger: logger, maxResponseBytes: configuration.server.maxBodyBytes))
        }
        self.services = services
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
