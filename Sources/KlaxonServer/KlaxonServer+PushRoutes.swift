import KlaxonConfig
import KlaxonHTTP
import KlaxonIngest
import KlaxonMetrics
import KlaxonRules
import KlaxonRuntime

// MARK: - Push routes

extension KlaxonServer {
    /// Mounts the Pushgateway and JSON push routes; a push that changed series wakes the rule
    /// groups that read them (`eval_on_push`).
    static func registerPushRoutes(
        in router: inout HTTPRouter, configuration: KlaxonConfiguration, store: SeriesStore, metrics: IngestMetrics,
        rules: RuleManager, clock: any WallClock, logger: Logger
    ) {
        let pushgateway = PushgatewayHandler(
            store: store, ingest: configuration.ingest, metrics: metrics, clock: clock, logger: logger,
            maxBodyBytes: configuration.server.maxBodyBytes,
            seriesChanged: { names in rules.seriesChanged(metricNames: names) })
        pushgateway.register(in: &router)
        let json = JSONPushHandler(
            store: store, ingest: configuration.ingest, metrics: metrics, clock: clock, logger: logger,
            limits: JSONPushBatch.Limits(maxBytes: configuration.server.maxBodyBytes),
            seriesChanged: { names in rules.seriesChanged(metricNames: names) })
        json.register(in: &router)
    }
}
