import Foundation
import KlaxonConfig
import KlaxonHTTP
import KlaxonIngest
import KlaxonMetrics
import KlaxonNotifiers
import KlaxonPromQL
import KlaxonRouting
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
    /// The alert store, its writer and the routing engine.
    package let routing: RoutingStack
    /// Everything the service group runs: HTTP server, rule manager, stale expiry, scrape manager,
    /// store writer, routing.
    package let services: [any Service]
    /// The demo's synthetic engine, when `klaxon demo` runs.
    package let demo: DemoService?
    private let logger: Logger

    /// Builds the server; nothing listens until `bind()` or the service group runs.
    /// `deadlineClock` times query deadlines (`query.timeout`); tests inject one to hold a query mid-way.
    package init(
        settings: ServerSettings, processEnvironment: [String: String] = [:], logger: Logger,
        clock: any WallClock = SystemWallClock(), deadlineClock: any MonotonicClock = SystemMonotonicClock(),
        demo demoOptions: DemoOptions? = nil
    ) throws(KlaxonServerError) {
        let configuration = settings.configuration
        self.settings = settings
        self.logger = logger
        store = SeriesStore(options: Self.storeOptions(for: configuration))
        registry = MetricRegistry()
        let serverMetrics: ServerMetrics
        let ingestMetrics: IngestMetrics
        let routingMetrics: RoutingMetrics
        let deliveryMetrics: DeliveryMetrics
        do {
            serverMetrics = try ServerMetrics(registry: registry)
            ingestMetrics = try IngestMetrics(registry: registry)
            routingMetrics = try RoutingMetrics(registry: registry)
            deliveryMetrics = try DeliveryMetrics(registry: registry)
        } catch {
            throw KlaxonServerError(message: "registering self-metrics failed: \(error.description)")
        }
        let output = RuleOutput(store: store, logger: logger)
        let routing = try RoutingStack(
            configuration: configuration, externalURL: settings.externalURL, clock: clock, logger: logger,
            deliveryMetrics: deliveryMetrics, extraNotifiers: demoOptions == nil ? [] : [ConsoleNotifier(clock: clock)])
        self.routing = routing
        let ruleManager = LateBound<RuleManager>()
        let handoff = routing.handoff(rules: { ruleManager.value }, externalURL: settings.externalURL)
        let rules = RuleManager(
            options: RuleManagerOptions(
                load: RuleLoadOptions(defaultInterval: configuration.evaluationIntervalMilliseconds),
                externalLabels: configuration.externalLabels, externalURL: settings.externalURL,
                queryLimits: configuration.query.limits),
            dependencies: RuleManagerDependencies(
                source: store, append: { owner, samples in output.append(owner: owner, samples: samples) },
                notify: { report in
                    output.report(report)
                    handoff.handle(report)
                }, clock: clock, logger: logger,
                historyNeeded: { [store] history in store.setRuleHistory(history) }))
        ruleManager.value = rules
        self.rules = rules
        reloader = ReloadController(
            settings: settings, rules: rules, processEnvironment: processEnvironment, logger: logger)

        var router = HTTPRouter(logger: logger)
        Self.registerPushRoutes(
            in: &router, configuration: configuration, store: store, metrics: ingestMetrics,
            rules: rules, clock: clock, logger: logger)
        let connections = HTTPConnectionCounters()
        let refreshSelfMetrics: @Sendable () -> Void = { [store] in
            serverMetrics.update(from: store.statistics)
            serverMetrics.update(from: rules.status)
            serverMetrics.update(from: connections.snapshot())
            routingMetrics.update(routing: routing.engine.counters, store: routing.writer.stats)
            deliveryMetrics.update(backlog: routing.delivery.backlog, now: clock.nowMilliseconds())
        }
        MetricsEndpoint(registry: registry, store: store, logger: logger, refresh: refreshSelfMetrics).register(
            in: &router)
        QueryAPI(
            clock: clock, limits: configuration.query.limits, deadlineClock: deadlineClock,
            evaluate: { (text, time, budget) throws(PromQLError) in try rules.query(text, at: time, budget: budget) },
            evaluateRange: { (text, start, end, step, budget) throws(PromQLError) in
                try rules.queryRange(text, start: start, end: end, step: step, budget: budget)
            },
            seriesLabels: { [store] (selectors, start, end, budget) throws(QueryLimitError) in
                try store.seriesLabels(matching: selectors, start: start, end: end, budget: budget)
            },
            familyMetadata: { [store] in store.familyMetadata() }
        ).register(in: &router)
        RulesAPI.register(in: &router, rules: rules)
        reloader.register(in: &router)
        AlertingAPI.register(
            in: &router, engine: routing.engine, store: routing.store,
            receivers: { [delivery = routing.delivery] in delivery.receiverStatuses },
            store: { [routing] in routing.storeHealth },
            token: configuration.api.token, clock: clock, startedAt: clock.nowMilliseconds())
        let authorization = APIAuthorization(token: configuration.api.token)
        StatusPage(
            engine: routing.engine, store: routing.store,
            receivers: { [delivery = routing.delivery] in delivery.receiverStatuses }, rules: rules,
            charts: AlertCharts(rules: rules) { (text, start, end, step) throws(PromQLError) in
                try rules.queryRange(text, start: start, end: end, step: step)
            },
            tokenRequired: authorization.isRequired, environment: configuration.environment,
            instance: routing.instance, clock: clock
        ).register(in: &router)
        StatusPageForms(
            alerts: AlertsAPI(engine: routing.engine, clock: clock, authorization: authorization),
            silences: SilencesAPI(engine: routing.engine, clock: clock, authorization: authorization),
            authorization: authorization
        ).register(in: &router)
        let lateHandler = LateBound<InstrumentedHandler>()
        let demo = demoOptions.map { options in
            // The synthetic engine's pushes take the path a real engine's take, minus the socket.
            DemoService(
                every: options.everyMilliseconds,
                push: { request in lateHandler.value?.handle(request) ?? HTTPResponse(status: .serviceUnavailable) },
                clock: clock, logger: logger)
        }
        if let demo {
            DemoAPI.register(in: &router, demo: demo, authorization: authorization)
            DemoGateway.register(in: &router, clock: clock)
        }
        self.demo = demo
        if let warning = APIAuthorization.exposureWarning(
            listenHost: configuration.server.listen.host, tokenSet: configuration.api.token != nil)
        {
            logger.warning("alert API open beyond loopback without a token", ["warning": warning])
        }
        handler = InstrumentedHandler(
            router: router, metrics: serverMetrics,
            exactRoutes: Set(
                [
                    MetricsEndpoint.path, JSONPushHandler.path, DemoAPI.listPath, DemoGateway.metricsPath,
                    StatusPage.path, StatusPageStyle.path, StatusPageForms.silencesPath, RulesAPI.path,
                ]
                    + QueryAPI.exactPaths + ReloadController.paths + AlertingAPI.exactPaths),
            prefixRoutes: [
                "/metrics/job/", "/metrics/job@base64/", QueryAPI.labelValuesPrefix, DemoAPI.prefix,
                StatusPageForms.alertPrefix,
            ]
                + AlertingAPI.prefixPaths)
        lateHandler.value = handler

        let openFiles = OpenFileLimit.raiseToHardLimit()
        let httpConfiguration = Self.httpConfiguration(for: configuration, clock: clock, openFileLimit: openFiles)
        if httpConfiguration.maxConnections < configuration.server.maxConnections {
            logger.warning(
                "max_connections lowered to fit the open-file limit",
                [
                    "http.max_connections": "\(httpConfiguration.maxConnections)",
                    "process.open_file_limit": "\(openFiles ?? 0)",
                ])
        }
        let http = HTTPServer(
            configuration: httpConfiguration, handler: handler, logger: logger, counters: connections)
        self.http = http
        let listen = configuration.server.listen
        // Every interface: the machine's name, as Prometheus would be told to scrape it.
        let selfHost = ["", "0.0.0.0", "::"].contains(listen.host) ? ProcessInfo.processInfo.hostName : listen.host
        let selfInstance: @Sendable () -> String = {
            HostPort(host: selfHost, port: http.port ?? listen.port).description
        }
        var services: [any Service] =
            routing.services + [
                http, rules, StaleExpiryService(store: store, clock: clock, logger: logger),
                SelfMetricsRecorder(
                    registry: registry, store: store, instance: selfInstance, refresh: refreshSelfMetrics,
                    clock: clock, logger: logger),
            ]
        var scrapeConfigs = configuration.scrapeConfigs
        if demo != nil, let gateway = DemoGateway.scrapeConfiguration(listen: listen) { scrapeConfigs.append(gateway) }
        if !scrapeConfigs.isEmpty {
            services.append(
                ScrapeManager(
                    configurations: scrapeConfigs, store: store, metrics: ingestMetrics, clock: clock,
                    logger: logger, maxResponseBytes: configuration.server.maxBodyBytes))
        }
        if let demo { services.append(demo) }
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

    /// Descriptors kept free of connections: the listener, epoll and wake pipes, scrapes, rule
    /// files, the database, logs.
    static let reservedFileDescriptors = 256

    /// The HTTP server's limits from `server:`. `max_connections` is lowered to what
    /// `openFileLimit` leaves after `reservedFileDescriptors`, so the connection ceiling, where the
    /// oldest idle connection makes way, comes before the descriptor limit, where accepting fails.
    package static func httpConfiguration(
        for configuration: KlaxonConfiguration, clock: any WallClock, openFileLimit: Int? = nil
    ) -> HTTPServerConfiguration {
        let server = configuration.server
        var maxConnections = server.maxConnections
        if let openFileLimit {
            maxConnections = min(maxConnections, max(16, openFileLimit - reservedFileDescriptors))
        }
        return HTTPServerConfiguration(
            host: server.listen.host.isEmpty ? "0.0.0.0" : server.listen.host,
            port: server.listen.port,
            ioThreads: server.ioThreads,
            workerThreads: server.workerThreads,
            maxConnections: maxConnections,
            idleTimeout: .milliseconds(server.idleTimeoutMilliseconds),
            requestReadTimeout: .milliseconds(server.readTimeoutMilliseconds),
            requestHeadTimeout: .milliseconds(server.readHeaderTimeoutMilliseconds),
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
