import Foundation
import KlaxonConfig
import KlaxonMetrics
import KlaxonRuntime
import Testing

@Suite struct KlaxonConfigurationTests {
    private func parse(_ text: String, environment: [String: String] = [:]) throws(ConfigErrors) -> KlaxonConfiguration
    {
        try KlaxonConfigurationLoader.parse(text: text, file: "klaxon.yml", environment: environment)
    }

    /// The error sentences a configuration produces (empty when it is valid).
    private func errors(_ text: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try parse(text, environment: environment)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func builtInDefaults() {
        let config = KlaxonConfiguration.builtIn
        #expect(config.server.listen.description == "127.0.0.1:9477")
        #expect(config.server.maxBodyBytes == 16 * 1024 * 1024)
        #expect(config.server.maxConnections == 16_384 && config.server.readHeaderTimeoutMilliseconds == 10_000)
        #expect(config.query.timeoutMilliseconds == 10_000 && config.query.maxSamples == 50_000_000)
        #expect(config.environment == .dev)
        #expect(config.dataDirectory == "./data")
        #expect(config.store == .defaultSQLite)
        #expect(config.ingest.staleAfterMilliseconds == 300_000)
        #expect(config.ingest.seriesLimit == 100_000)
        #expect(config.evaluationIntervalMilliseconds == 1_000)
        #expect(config.scrapeConfigs.isEmpty && config.ruleFiles.isEmpty)
    }

    @Test func emptyFileIsTheBuiltInConfiguration() throws {
        #expect(try parse("") == .builtIn)
        #expect(try parse("# nothing configured\n") == .builtIn)
    }

    @Test func fullConfigurationDecodes() throws {
        let text = """
            server:
              listen: 0.0.0.0:9500
              max_body_bytes: 1MiB
              max_connections: 64
              read_timeout: 5s
              read_header_timeout: 2s
              idle_timeout: 1m
              io_threads: 4
              worker_threads: 8
            query:
              timeout: 30s
              max_samples: 1000000
            environment: prod
            data_dir: /var/lib/klaxon
            log: {level: debug, format: json}
            store:
              url: postgres://klaxon:${DB_PASSWORD}@db:5432/klaxon
            ingest:
              stale_after: 2m
              series_limit: 5000
              retention: 2h
              push_groups:
                - {job: batch, stale_after: 10m}
            scrape_configs:
              - job_name: engine
                targets: [engine-1:8000, "engine-2:8000"]
                interval: 5s
                labels: {team: quant}
              - job_name: balances
                targets:
                - wallet:9000
                format: json
                metrics_path: /api/balances
                json:
                  metrics:
                    - name: wallet_balance
                      path: accounts[*].balance
                      labels: {currency: currency, venue: meta.venue}
                      type: gauge
                      help: Balance per account.
            rule_files: [alert-rules/*.yml]
            evaluation_interval: 500ms
            external_labels:
              host: trader-1
            """
        let config = try parse(text, environment: ["DB_PASSWORD": "pw"])
        #expect(config.server.listen == HostPort(host: "0.0.0.0", port: 9500))
        #expect(config.server.maxBodyBytes == 1 << 20)
        #expect(config.server.maxConnections == 64 && config.server.ioThreads == 4)
        #expect(config.server.readTimeoutMilliseconds == 5_000 && config.server.idleTimeoutMilliseconds == 60_000)
        #expect(config.server.readHeaderTimeoutMilliseconds == 2_000 && config.server.workerThreads == 8)
        #expect(config.query.limits == QueryLimits(timeoutMilliseconds: 30_000, maxSamples: 1_000_000))
        #expect(config.environment == .prod)
        #expect(config.log.level == .debug && config.log.format == .json)
        #expect(config.store.kind == .postgres(url: "postgres://klaxon:pw@db:5432/klaxon"))
        #expect(config.ingest.staleAfterMilliseconds(forJob: "batch") == 600_000)
        #expect(config.ingest.staleAfterMilliseconds(forJob: "other") == 120_000)
        #expect(config.ingest.retentionMilliseconds == 7_200_000 && config.ingest.seriesLimit == 5_000)
        #expect(config.scrapeConfigs.map(\.jobName) == ["engine", "balances"])
        let engine = config.scrapeConfigs[0]
        #expect(engine.targets.map(\.description) == ["engine-1:8000", "engine-2:8000"])
        #expect(engine.intervalMilliseconds == 5_000 && engine.timeoutMilliseconds == 5_000)
        #expect(engine.labels == Labels(["team": "quant"]) && engine.format == .prometheus && engine.json == nil)
        let balances = config.scrapeConfigs[1]
        #expect(balances.timeoutMilliseconds == 10_000 && balances.metricsPath == "/api/balances")
        let metric = try #require(balances.json?.metrics.first)
        #expect(metric.name == "wallet_balance" && metric.type == .gauge && metric.help == "Balance per account.")
        #expect(metric.path.description == "accounts[*].balance")
        #expect(metric.labels.map { "\($0.name)=\($0.path)" } == ["currency=currency", "venue=meta.venue"])
        #expect(config.ruleFiles == ["alert-rules/*.yml"])
        #expect(config.evaluationIntervalMilliseconds == 500)
        #expect(config.externalLabels == Labels(["host": "trader-1"]))
    }

    @Test(arguments: [
        ([String: String](), DeploymentEnvironment.staging),
        (["APP_ENV": "prod"], .prod),
        (["KLAXON_ENV": "dev", "APP_ENV": "prod"], .dev),
        (["KLAXON_ENV": "", "APP_ENV": "prod"], .prod),
    ])
    func environmentVariablesOverrideTheFile(variables: [String: String], expected: DeploymentEnvironment) throws {
        #expect(try parse("environment: staging", environment: variables).environment == expected)
    }

    @Test(arguments: [
        ("server:\n  listn: 1", "klaxon.yml:2:3: unknown key \"listn\" in server; allowed: listen, max_body_bytes"),
        ("colour: red", "klaxon.yml:1:1: unknown key \"colour\" at the top level; allowed: server, environment"),
        (
            "server:\n  listen: localhost",
            "klaxon.yml:2:11: server.listen: invalid address \"localhost\": the port is missing"
        ),
        (
            "server:\n  listen: \"h:99999\"",
            "klaxon.yml:2:11: server.listen: invalid address \"h:99999\": the port must be"
        ),
        (
            "environment: production",
            "klaxon.yml:1:14: environment: \"production\" is not allowed; allowed: prod, staging, dev"
        ),
        ("log: {format: xml}", "klaxon.yml:1:15: log.format: \"xml\" is not allowed; allowed: logfmt, json"),
        (
            "store: {url: 'mysql://u:p@h/db'}",
            "klaxon.yml:1:14: store.url: invalid store url: unsupported scheme \"mysql\""
        ),
        (
            "storage: {url: 'sqlite:a'}\nstore: {url: 'sqlite:b'}",
            "klaxon.yml:2:1: store: both \"storage\" and \"store\" are set"
        ),
        ("ingest: {stale_after: 0s}", "klaxon.yml:1:23: ingest.stale_after: must be greater than 0s"),
        ("evaluation_interval: soon", "klaxon.yml:1:22: evaluation_interval: invalid duration \"soon\""),
        ("external_labels: {__x: y}", "klaxon.yml:1:19: external_labels.__x: invalid label name \"__x\""),
        (
            "scrape_configs:\n  - job_name: a\n    targets: [h:1]\n    interval: 5s\n    timeout: 10s",
            "klaxon.yml:5:5: scrape_configs[0].timeout: timeout 10s is longer than the interval 5s"
        ),
        (
            "scrape_configs:\n  - job_name: a\n    targets: [h:1]\n  - job_name: a\n    targets: [h:2]",
            "klaxon.yml:4:5: scrape_configs[1].job_name: duplicate job_name \"a\" (first used at line 2)"
        ),
        (
            "scrape_configs:\n  - targets: [h:1]",
            "klaxon.yml:2:5: missing required key \"job_name\" in scrape_configs[0]"
        ),
        (
            "scrape_configs:\n  - job_name: a\n    targets: []",
            "klaxon.yml:3:5: scrape_configs[0].targets: list at least one"
        ),
        (
            "scrape_configs:\n  - job_name: a\n    targets: [':80']",
            "klaxon.yml:3:15: scrape_configs[0].targets[0]: invalid address"
        ),
        (
            "scrape_configs:\n  - job_name: a\n    targets: [h:1]\n    format: json",
            "klaxon.yml:2:5: missing required key \"json\" in scrape_configs[0]"
        ),
        (
            "scrape_configs:\n  - job_name: a\n    targets: [h:1]\n    json: {metrics: []}",
            "klaxon.yml:4:5: scrape_configs[0].json: is only used with format: json"
        ),
        (
            "scrape_configs:\n  - job_name: a\n    targets: [h:1]\n    format: json\n    json:\n      metrics:\n"
                + "        - {name: 1bad, path: a}",
            "klaxon.yml:7:18: scrape_configs[0].json.metrics[0].name: invalid metric name \"1bad\""
        ),
        (
            "scrape_configs:\n  - job_name: a\n    targets: [h:1]\n    format: json\n    json:\n      metrics:\n"
                + "        - {name: m, path: 'a..b'}",
            "klaxon.yml:7:27: scrape_configs[0].json.metrics[0].path: invalid path \"a..b\""
        ),
        (
            "scrape_configs:\n  - job_name: a\n    targets: [h:1]\n    format: json\n    json:\n      metrics:\n"
                + "        - {name: m, path: a, labels: {x: 'b['}, type: summary}",
            "klaxon.yml:7:42: scrape_configs[0].json.metrics[0].labels.x: invalid path \"b[\""
        ),
        (
            "server:\n  listen: [a]\n  bogus: 1\n  listen: x",
            "klaxon.yml:4:3: duplicate key \"listen\" (first defined at line 2)"
        ),
        ("rule_files: alerts.yml", "klaxon.yml:1:13: rule_files: expected a sequence"),
        ("query: {timeout: 0s}", "klaxon.yml:1:18: query.timeout: must be greater than 0s"),
        ("query: {max_samples: 0}", "klaxon.yml:1:22: query.max_samples:"),
        ("query: {deadline: 1s}", "klaxon.yml:1:9: unknown key \"deadline\" in query; allowed: timeout, max_samples"),
        ("server: {read_header_timeout: 0s}", "klaxon.yml:1:31: server.read_header_timeout: must be greater than 0s"),
    ])
    func validationErrors(text: String, expected: String) {
        let found = errors(text)
        #expect(found.contains { $0.hasPrefix(expected) }, "\(found)")
    }

    @Test func allErrorsAreReportedTogether() {
        let found = errors(
            """
            server:
              listen: nowhere
              max_connections: 0
            log: {level: loud}
            scrape_configs:
              - job_name: a
                targets: [h:1]
                intervl: 5s
            """)
        #expect(found.count == 4, "\(found)")
        #expect(
            found.map { $0.prefix(14) } == ["klaxon.yml:2:1", "klaxon.yml:3:2", "klaxon.yml:4:1", "klaxon.yml:8:5"])
    }

    @Test func secretsNeverAppearInErrors() {
        let found = errors(
            "store:\n  url: ftp://admin:hunter2@db/x\nserver:\n  listen: ${BIND}\n", environment: ["BIND": "token-abc"])
        #expect(found.count == 2, "\(found)")
        #expect(!found.joined().contains("hunter2") && !found.joined().contains("token-abc"), "\(found)")
    }

    @Test func unsetVariableIsAnErrorUnlessDefaulted() throws {
        #expect(
            errors("data_dir: ${DATA}") == [
                "klaxon.yml:1:11: data_dir: environment variable DATA is not set; set it or give a default with ${DATA:-default}"
            ])
        #expect(try parse("data_dir: ${DATA:-/srv/klaxon}").dataDirectory == "/srv/klaxon")
        #expect(try parse("data_dir: cost$$").dataDirectory == "cost$")
    }

    @Test(arguments: [
        ("data_dir: /srv/klaxon/", StoreConfiguration.Kind.sqlite(path: "/srv/klaxon/klaxon.db")),
        ("data_dir: /srv/klaxon\nstorage: {url: 'sqlite:other.db'}", .sqlite(path: "other.db")),
        ("log: {level: info}", .sqlite(path: "./data/klaxon.db")),
    ])
    func databaseDefaultsToTheDataDirectory(text: String, expected: StoreConfiguration.Kind) throws {
        #expect(try parse(text).store.kind == expected)
    }

    @Test func storeInstanceAndAuditRetentionDecode() throws {
        let config = try parse("store:\n  url: sqlite:a.db\n  instance: engine-1\n  audit_retention: 30d\n")
        #expect(config.store.kind == .sqlite(path: "a.db"))
        #expect(config.store.instance == "engine-1")
        #expect(config.store.auditRetentionMilliseconds == 30 * 86_400_000)
        #expect(config.storeInstance(hostname: "host-a") == "engine-1")
    }

    @Test func storeSettingsWithoutAURLKeepTheDataDirectoryDatabase() throws {
        let config = try parse("data_dir: /srv/k\nstore: {instance: a}")
        #expect(config.store.kind == .sqlite(path: "/srv/k/klaxon.db"))
        #expect(config.store.instance == "a")
        #expect(config.store.auditRetentionMilliseconds == 90 * 86_400_000)
    }

    @Test func storeInstanceDefaultsToTheInstanceExternalLabelThenTheHostname() throws {
        #expect(try parse("external_labels: {instance: eu-1}").storeInstance(hostname: "host-a") == "eu-1")
        #expect(try parse("external_labels: {host: h}").storeInstance(hostname: "host-a") == "host-a")
    }

    @Test(arguments: [
        ("store: {instance: ''}", "klaxon.yml:1:19: store.instance: must be 1 to 256 characters"),
        ("store: {audit_retention: 0s}", "klaxon.yml:1:26: store.audit_retention: must be greater than 0s"),
        ("store: {audit_retention: forever}", "klaxon.yml:1:26: store.audit_retention: invalid duration"),
        ("store: {retention: 1d}", "klaxon.yml:1:9: unknown key \"retention\" in store; allowed: url, instance"),
    ])
    func badStoreSettingsAreNamed(text: String, expected: String) {
        let found = errors(text)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix(expected) == true, "\(found)")
    }

    @Test func badKlaxonEnvIsReported() {
        #expect(
            errors("", environment: ["KLAXON_ENV": "qa"]) == [
                "klaxon.yml:1:1: environment variable KLAXON_ENV is \"qa\"; allowed: prod, staging, dev"
            ])
    }

    @Test func loadReadsAFileAndRecordsItsDirectory() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "klaxon-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("klaxon.yml")
        try Data("rule_files: [rules/*.yml]\nserver: {listen: ':${PORT}'}\n".utf8).write(to: file)
        let config = try KlaxonConfigurationLoader.load(path: file.path, environment: ["PORT": "9600"])
        #expect(config.baseDirectory == directory.path)
        #expect(config.ruleFiles == ["rules/*.yml"] && config.server.listen == HostPort(host: "", port: 9600))
    }

    @Test func missingFileIsAClearError() throws {
        do {
            _ = try KlaxonConfigurationLoader.load(path: "/nonexistent/klaxon.yml", environment: [:])
            Issue.record("a missing file must be an error")
        } catch {
            #expect(
                error.description
                    == "/nonexistent/klaxon.yml:1:1: cannot open the file; check that it exists and is readable")
        }
    }
}
