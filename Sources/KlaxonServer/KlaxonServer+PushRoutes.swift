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
}

// MARK: - Names of pushed series

/// The metric names a push carried, for waking the rule groups that read them (`eval_on_push`).
///
/// The push handlers have already validated and stored the body; this only reads the names back
/// out, so a rule reading one of them is evaluated at once instead of on its next interval.
enum PushedMetricNames {
    /// The series the Pushgateway writes with every push, besides the pushed ones.
    static let pushgatewayTimes: Set<String> = ["push_time_seconds", "push_failure_time_seconds"]

    /// Sample names of a text-format (or OpenMetrics) body: each sample line's leading name.
    static func text(_ body: [UInt8]) -> Set<String> {
        var names: Set<String> = pushgatewayTimes
        var index = 0
        while index < body.count {
            var lineEnd = index
            while lineEnd < body.count, body[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var start = index
            while start < lineEnd, body[start] == UInt8(ascii: " ") || body[start] == UInt8(ascii: "\t") { start += 1 }
            if start < lineEnd, body[start] != UInt8(ascii: "#") {
                var end = start
                while end < lineEnd, isNameByte(body[end]) { end += 1 }
                if end > start { names.insert(String(decoding: body[start..<end], as: UTF8.self)) }
            }
            index = lineEnd + 1
        }
        return names
    }

    /// Sample names of a JSON batch (`samples[].name`); empty when it does not decode.
    static func json(_ body: [UInt8]) -> Set<String> {
        guard let batch = try? JSONPushBatch(decoding: body) else { return [] }
        return Set(batch.families.flatMap { $0.samples.map(\.name) })
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: ":"):
            true
        default:
            false
        }
    }
}
