import KlaxonConfig
import KlaxonHTTP
import KlaxonIngest
import KlaxonMetrics
import KlaxonRuntime
import KlaxonTestSupport
import Synchronization
import Testing

@Suite struct ScrapeManagerTests {
    private func configuration(port: Int, _ configure: (inout ScrapeConfiguration) -> Void = { _ in })
        -> ScrapeConfiguration
    {
        var configuration = ScrapeConfiguration(jobName: "engine", targets: [HostPort(host: "127.0.0.1", port: port)])
        configuration.intervalMilliseconds = 5_000
        configuration.timeoutMilliseconds = 2_000
        configure(&configuration)
        return configuration
    }

    private func manager(
        _ configuration: ScrapeConfiguration, store: SeriesStore, clock: ManualWallClock, logs: RecordingLogSink
    )
        -> ScrapeManager
    {
        ScrapeManager(
            configurations: [configuration], store: store, metrics: IngestMetrics.unregistered(), clock: clock,
            logger: Logger(level: .debug, sink: logs))
    }

    @Test func successThenFailureMarksUpAndLetsSeriesGoStale() async throws {
        let target = try SwitchableTarget()
        let store = SeriesStore()
        let clock = ManualWallClock()
        let logs = RecordingLogSink()
        let scraper = manager(configuration(port: target.port), store: store, clock: clock, logs: logs)
        let instance = "127.0.0.1:\(target.port)"
        let scrapeTarget = try #require(scraper.targets.first)

        target.serve("# TYPE queue_depth gauge\nqueue_depth{queue=\"orders\"} 12\nqueue_depth{queue=\"fills\"} 3\n")
        let first = await scraper.scrape(scrapeTarget)
        #expect(first == ScrapeManager.Result(samples: 2, error: nil))
        var seen = exposed(store)
        #expect(seen["queue_depth{instance=\"\(instance)\",job=\"engine\",queue=\"orders\"}"] == "12")
        #expect(seen["up{instance=\"\(instance)\",job=\"engine\"}"] == "1")
        #expect(seen["scrape_samples_scraped{instance=\"\(instance)\",job=\"engine\"}"] == "2")
        #expect(seen["scrape_duration_seconds{instance=\"\(instance)\",job=\"engine\"}"] != nil)
        #expect(target.received.first?.headers["Accept"]?.hasPrefix("text/plain;version=0.0.4") == true)
        #expect(target.received.first?.headers["X-Prometheus-Scrape-Timeout-Seconds"] == "2")

        target.serve("boom", status: .internalServerError)
        clock.advance(by: 5_000)
        let second = await scraper.scrape(scrapeTarget)
        #expect(second.error?.contains("500") == true)
        seen = exposed(store)
        #expect(seen["up{instance=\"\(instance)\",job=\"engine\"}"] == "0")
        #expect(exposed(store, named: "queue_depth").isEmpty)
        let history = store.select([try LabelMatcher("queue", .equal, "orders")], start: 0, end: .max)
        #expect(history.first?.samples.last?.isStaleMarker == true)
    }

    @Test func scrapedLabelsClashingWithTargetLabelsAreExported() async throws {
        let target = try SwitchableTarget()
        let store = SeriesStore()
        let scraper = manager(
            configuration(port: target.port) { $0.labels = Labels(["env": "prod"]) }, store: store,
            clock: ManualWallClock(),
            logs: RecordingLogSink())
        target.serve("m{job=\"inner\",env=\"dev\",exported_env=\"x\"} 1\n")
        _ = await scraper.scrape(try #require(scraper.targets.first))
        let key =
            "m{env=\"prod\",exported_env=\"x\",exported_exported_env=\"dev\",exported_job=\"inner\","
            + "instance=\"127.0.0.1:\(target.port)\",job=\"engine\"}"
        #expect(exposed(store)[key] == "1")
    }

    @Test func openMetricsIsParsedByContentType() async throws {
        let target = try SwitchableTarget()
        let store = SeriesStore()
        let scraper = manager(
            configuration(port: target.port), store: store, clock: ManualWallClock(), logs: RecordingLogSink())
        target.serve(
            "# TYPE jobs counter\njobs_total 4\n# EOF\n", contentType: "application/openmetrics-text; version=1.0.0")
        let result = await scraper.scrape(try #require(scraper.targets.first))
        #expect(result.error == nil)
        #expect(exposed(store)["jobs_total{instance=\"127.0.0.1:\(target.port)\",job=\"engine\"}"] == "4")
    }

    @Test func jsonTargetIsMapped() async throws {
        let target = try SwitchableTarget()
        let store = SeriesStore()
        let mapping = JSONScrapeMapping(metrics: [
            JSONMetricMapping(
                name: "venue_latency_ms", path: try JSONPath(parsing: "venues[*].latency_ms"),
                labels: [JSONLabelMapping(name: "venue", path: try JSONPath(parsing: "name"))], type: .gauge, help: nil)
        ])
        let scraper = manager(
            configuration(port: target.port) {
                $0.format = .json
                $0.json = mapping
            }, store: store, clock: ManualWallClock(), logs: RecordingLogSink())
        target.serve(
            #"{"venues":[{"name":"binance","latency_ms":12.5},{"name":"okx","latency_ms":null}]}"#,
            contentType: "application/json")
        let result = await scraper.scrape(try #require(scraper.targets.first))
        #expect(result == ScrapeManager.Result(samples: 1, error: nil))
        #expect(
            exposed(store)["venue_latency_ms{instance=\"127.0.0.1:\(target.port)\",job=\"engine\",venue=\"binance\"}"]
                == "12.5")
        #expect(target.received.first?.headers["Accept"] == "application/json")

        target.serve(#"{"venues":[{"name":"binance","latency_ms":"n/a"}]}"#, contentType: "application/json")
        let failed = await scraper.scrape(try #require(scraper.targets.first))
        #expect(failed.error?.contains("venues[0].latency_ms: expected a number") == true)
        #expect(exposed(store)["up{instance=\"127.0.0.1:\(target.port)\",job=\"engine\"}"] == "0")
    }

    @Test func loopScrapesAtOnceThenOnAlignedIntervalsAndLogsFailuresOnce() async throws {
        let target = try SwitchableTarget()
        let store = SeriesStore()
        let clock = ManualWallClock()
        let logs = RecordingLogSink()
        let sleeps = Mutex<[Duration]>([])
        target.serve("a 1\n", status: .serviceUnavailable)
        let scraper = ScrapeManager(
            configurations: [configuration(port: target.port)], store: store, metrics: IngestMetrics.unregistered(),
            clock: clock, logger: Logger(level: .debug, sink: logs),
            sleep: { duration in
                let count = sleeps.withLock { sleeps in
                    sleeps.append(duration)
                    return sleeps.count
                }
                // Each scrape "takes" 700 ms of wall time; the next must still start on the 5 s grid.
                clock.advance(by: duration)
                clock.advance(by: 700)
                if count >= 3 { throw CancellationError() }
            })
        try await scraper.run()
        #expect(sleeps.withLock { $0 } == [.milliseconds(5_000), .milliseconds(4_300), .milliseconds(4_300)])
        #expect(target.received.count == 3)
        #expect(logs.lines.filter { $0.contains("Scrape failed") }.count == 1)
        #expect(logs.lines.first { $0.contains("Scrape failed") }?.contains("scrape.target=") == true)
        #expect(exposed(store)["up{instance=\"127.0.0.1:\(target.port)\",job=\"engine\"}"] == "0")
    }

    @Test func unreachableTargetIsDown() async throws {
        let port = try FreePort.next()
        let store = SeriesStore()
        let scraper = manager(
            configuration(port: Int(port)), store: store, clock: ManualWallClock(), logs: RecordingLogSink())
        let result = await scraper.scrape(try #require(scraper.targets.first))
        #expect(result.error != nil)
        #expect(exposed(store)["up{instance=\"127.0.0.1:\(port)\",job=\"engine\"}"] == "0")
    }

    @Test func withoutTargetsRunsUntilCancelled() async throws {
        let scraper = ScrapeManager(
            configurations: [], store: SeriesStore(), metrics: IngestMetrics.unregistered(), clock: ManualWallClock(),
            logger: .disabled)
        let returned = Mutex(false)
        let task = Task {
            try await scraper.run()
            returned.withLock { $0 = true }
        }
        await Task.yield()
        #expect(returned.withLock { $0 } == false)
        task.cancel()
        try await task.value
        #expect(returned.withLock { $0 })
    }
}
