import Foundation
import KlaxonConfig
import KlaxonMetrics
import KlaxonServer
import KlaxonTestSupport
import Testing

@Suite struct ReloadControllerTests {
    private let directory: URL

    init() throws {
        directory = try PeerDirectories.make(for: "reload")
    }

    private func write(_ name: String, _ text: String) throws -> String {
        let file = directory.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    private func controller(config path: String, options: ServeOptions = ServeOptions()) throws -> ReloadController {
        var options = options
        options.configPath = path
        options.dataDirectory = options.dataDirectory ?? directory.path
        let settings = try ServerSettings.resolve(options: options, processEnvironment: [:])
        return try KlaxonServer(settings: settings, logger: .disabled).reloader
    }

    /// A reload resolves the file as the start did: the flags still win over it.
    @Test func reloadKeepsTheCommandLineFlags() throws {
        let config = try write("klaxon.yml", "environment: prod\nlog: {level: error}\n")
        let data = directory.appendingPathComponent("flagged").path
        let reloader = try controller(
            config: config, options: ServeOptions(dataDirectory: data, environment: .dev, logLevel: .debug))
        _ = try write("klaxon.yml", "environment: staging\nlog: {level: error}\ndata_dir: /elsewhere\n")
        #expect(reloader.reload(reason: "test").succeeded)
        let reloaded = reloader.configuration
        #expect(reloaded.environment == .dev)
        #expect(reloaded.log.level == .debug)
        #expect(reloaded.dataDirectory == data)
        #expect(reloaded.store.kind == .sqlite(path: data + "/klaxon.db"))
    }

    @Test func ruleFilePatternsAreExpandedAgainstTheConfigDirectory() throws {
        _ = try write("a.rules.yml", "groups: []\n")
        _ = try write("b.rules.yml", "groups: []\n")
        _ = try write("other.yml", "groups: []\n")
        let reloader = try controller(
            config: write("klaxon.yml", "rule_files:\n  - '*.rules.yml'\n  - missing/*.yml\n"))
        #expect(!reloader.isReady)
        let outcome = reloader.loadInitial()
        #expect(outcome.succeeded)
        #expect(outcome.files.map { URL(fileURLWithPath: $0).lastPathComponent } == ["a.rules.yml", "b.rules.yml"])
        #expect(reloader.isReady)
    }

    @Test func reloadRereadsTheConfigAndKeepsTheOldRulesWhenItIsBroken() throws {
        _ = try write("a.rules.yml", "groups: []\n")
        _ = try write("b.rules.yml", "groups: []\n")
        let config = try write("klaxon.yml", "rule_files: [a.rules.yml]\n")
        let reloader = try controller(config: config)
        #expect(reloader.loadInitial().files.count == 1)

        _ = try write("klaxon.yml", "rule_files: [a.rules.yml, b.rules.yml]\n")
        #expect(reloader.reload(reason: "test").files.count == 2)

        _ = try write("klaxon.yml", "rule_files: {not: a list}\n")
        let broken = reloader.reload(reason: "test")
        #expect(!broken.succeeded)
        #expect(broken.problems.first?.contains("klaxon.yml:1:") == true, "\(broken)")
        #expect(reloader.files.count == 2)
        #expect(reloader.isReady)
    }

    @Test func aBrokenRuleFileFailsTheReloadNamingItsLine() throws {
        let rules = try write(
            "a.rules.yml", "groups:\n  - name: g\n    rules:\n      - record: x\n        expr: sum(\n")
        let reloader = try controller(config: write("klaxon.yml", "rule_files: [a.rules.yml]\n"))
        let outcome = reloader.loadInitial()
        #expect(!outcome.succeeded)
        #expect(outcome.problems.contains { $0.hasPrefix(rules + ":5:") }, "\(outcome.problems)")
        #expect(!reloader.isReady)
    }
}

@Suite struct StaleExpiryServiceTests {
    @Test func ownersPastTheirStaleAfterAreExpired() throws {
        let clock = ManualWallClock(milliseconds: 1_000_000)
        let store = SeriesStore(options: SeriesStoreOptions(defaultStaleAfter: 60_000))
        let family = ParsedFamily(name: "x", type: .gauge, samples: [ParsedSample(name: "x", labels: .empty, value: 1)])
        try store.replace(owner: .internal("test"), with: [family], now: clock.nowMilliseconds())
        let expiry = StaleExpiryService(store: store, clock: clock, logger: .disabled)
        #expect(expiry.expireOnce().isEmpty)
        clock.advance(by: 60_000)
        #expect(expiry.expireOnce() == [.internal("test")])
        #expect(store.statistics.liveSeries == 0)
    }

    @Test func runStopsWhenCancelled() async throws {
        let store = SeriesStore()
        let expiry = StaleExpiryService(
            store: store, clock: ManualWallClock(), interval: .seconds(3600), logger: .disabled)
        let task = Task { try await expiry.run() }
        task.cancel()
        try await task.value
    }
}
