import KlaxonConfig
import KlaxonHTTP
import KlaxonRuntime

/// The demo's market-data gateway: a second component beside the engine, which Klaxon scrapes
/// (the engine pushes), so `klaxon demo` shows both ways metrics come in. It is served by Klaxon's
/// own listener at `metricsPath`.
package enum DemoGateway {
    /// Where the gateway's exposition is served.
    package static let metricsPath = "/demo/gateway/metrics"
    /// The scrape job's name, the `job` label of the gateway's series.
    package static let job = "market-data-gateway"
    /// Market-data messages each exchange's feed relays a second.
    static let messagesPerSecond = 40.0

    /// `market_data_gateway_messages_total` for every exchange at `unixMilliseconds`: a counter that
    /// grows with time, so it only grows across scrapes.
    package static func render(unixMilliseconds: Int64) -> String {
        let seconds = Double(unixMilliseconds) / 1000
        var text = "# HELP market_data_gateway_messages_total Market-data messages the demo gateway relayed.\n"
        text += "# TYPE market_data_gateway_messages_total counter\n"
        for (index, exchange) in DemoEngineState.exchanges.enumerated() {
            let rate = messagesPerSecond * Double(index + 1)
            text += "market_data_gateway_messages_total{exchange=\"\(exchange)\"} \((seconds * rate).rounded(.down))\n"
        }
        return text
    }

    /// Serves the gateway's exposition.
    static func register(in router: inout HTTPRouter, clock: any WallClock) {
        router.add("GET", metricsPath) { _ in
            HTTPResponse(
                status: .ok, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                body: Array(render(unixMilliseconds: clock.nowMilliseconds()).utf8))
        }
    }

    /// The scrape job for the gateway on Klaxon's own `listen` address (loopback when it listens on
    /// every interface), every 5 s; nil when the port is chosen at bind time and so unknown here.
    static func scrapeConfiguration(listen: HostPort) -> ScrapeConfiguration? {
        guard listen.port != 0 else { return nil }
        let host = ["", "0.0.0.0"].contains(listen.host) ? "127.0.0.1" : listen.host == "::" ? "::1" : listen.host
        var configuration = ScrapeConfiguration(jobName: job, targets: [HostPort(host: host, port: listen.port)])
        configuration.intervalMilliseconds = 5_000
        configuration.timeoutMilliseconds = 5_000
        configuration.metricsPath = metricsPath
        return configuration
    }
}
