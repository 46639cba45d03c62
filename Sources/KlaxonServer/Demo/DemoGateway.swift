import KlaxonConfig
import KlaxonHTTP
import KlaxonRuntime

/// The demo's market-data gateway: a second component beside the engine that serves its feed
/// freshness for Klaxon to scrape, so `klaxon demo` shows both ways KPIs come in (the engine pushes,
/// the gateway is scraped). It is served by Klaxon's own listener at `metricsPath`.
package enum DemoGateway {
    /// Where the gateway's exposition is served.
    package static let metricsPath = "/demo/gateway/metrics"
    /// The scrape job's name, the `job` label of the gateway's series.
    package static let job = "market-data-gateway"

    /// `market_data_last_update_timestamp_seconds` for every exchange and symbol at `unixMilliseconds`:
    /// each feed updated about 200 ms ago.
    package static func render(unixMilliseconds: Int64) -> String {
        let seconds = Double(unixMilliseconds) / 1000
        var text = "# TYPE market_data_last_update_timestamp_seconds gauge\n"
        for exchange in DemoEngineState.exchanges {
            for symbol in DemoEngineState.symbols {
                text += "market_data_last_update_timestamp_seconds{exchange=\"\(exchange)\",symbol=\"\(symbol)\"} "
                text += "\((seconds - 0.2).rounded())\n"
            }
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
