import KlaxonMetrics
import KlaxonRuntime

/// The contents of `klaxon.yml`, validated, with every default filled in.
///
/// Durations are milliseconds. `builtIn` is what `klaxon serve` runs with no `--config`.
package struct KlaxonConfiguration: Sendable, Equatable {
    /// `server`: the HTTP listener and its limits.
    package var server = ServerConfiguration()
    /// `api`: the bearer token for write endpoints.
    package var api = APIConfiguration()
    /// `environment` (default dev); `KLAXON_ENV`, then `APP_ENV`, override the file.
    package var environment = DeploymentEnvironment.dev
    /// What chose `environment`: `config`, `KLAXON_ENV`, `APP_ENV`, `--env` or `default`.
    package var environmentSource = "default"
    /// `data_dir` (default ./data): the database and other state.
    package var dataDirectory = "./data"
    /// `log`: level and line format.
    package var log = LogConfiguration()
    /// `store` (or `storage`); defaults to SQLite in the data directory.
    package var store = StoreConfiguration.defaultSQLite
    /// Whether `store.url` was given; otherwise the SQLite file follows `data_dir`.
    package var storeURLGiven = false
    /// `external_url`: how people reach this Klaxon (checked, no trailing `/`); nil derives it.
    package var externalURL: String?
    /// `ingest`: staleness, series limit, retention.
    package var ingest = IngestConfiguration()
    /// `query`: deadline and sample cap of every query and rule expression.
    package var query = QueryConfiguration()
    /// `scrape_configs`; job names are unique.
    package var scrapeConfigs: [ScrapeConfiguration] = []
    /// `rule_files`: glob patterns of Prometheus rule files; relative ones are resolved against `baseDirectory`.
    package var ruleFiles: [String] = []
    /// The directory of the configuration file (`.` for text and the built-in defaults).
    package var baseDirectory = "."
    /// `evaluation_interval` (default 1s): how often rule groups without their own interval run.
    package var evaluationIntervalMilliseconds: Int64 = 1_000
    /// `external_labels`: added to alerts and series leaving this Klaxon.
    package var externalLabels = Labels.empty
    /// `routing`: how alerts become notifications.
    package var routing = RoutingConfiguration()
    /// `receivers`: where notifications go (Telegram, Slack, webhooks, Alertmanager); `log` is built in.
    package var receivers: [ReceiverConfiguration] = []

    /// The defaults.
    package init() {}

    /// The defaults with nothing configured.
    package static let builtIn = KlaxonConfiguration()

    /// Without `store.url`, the database is `<data_dir>/klaxon.db`, wherever `data_dir` came from.
    package mutating func placeStoreInDataDirectory() {
        guard !storeURLGiven else { return }
        let directory = dataDirectory.hasSuffix("/") ? String(dataDirectory.dropLast()) : dataDirectory
        store.kind = .sqlite(path: "\(directory)/klaxon.db")
    }

    /// The instance name the store writes as: `store.instance`, else the `instance` external
    /// label, else `hostname`.
    package func storeInstance(hostname: String) -> String {
        store.instance ?? externalLabels["instance"] ?? hostname
    }
}

/// Deployment environment; the routing policy depends on it.
package enum DeploymentEnvironment: String, Sendable, CaseIterable {
    case prod
    case staging
    case dev
}

/// The HTTP server: where it listens and how much it accepts.
package struct ServerConfiguration: Sendable, Equatable {
    /// `listen` (default 127.0.0.1:9477); `:port` listens on every interface.
    package var listen = HostPort(host: "127.0.0.1", port: 9477)
    /// `max_body_bytes` (default 16 MiB): larger request bodies get 413.
    package var maxBodyBytes = 16 << 20
    /// `max_connections` (default 16384): at this many open connections the oldest idle or
    /// half-sent one is closed to admit a new one.
    package var maxConnections = 16_384
    /// `read_timeout` (default 30s) for a whole request.
    package var readTimeoutMilliseconds: Int64 = 30_000
    /// `read_header_timeout` (default 10s) for the request line and headers.
    package var readHeaderTimeoutMilliseconds: Int64 = 10_000
    /// `idle_timeout` (default 2m) for a keep-alive connection.
    package var idleTimeoutMilliseconds: Int64 = 120_000
    /// `io_threads` (default 2): threads running the event loops.
    package var ioThreads = 2
    /// `worker_threads` (default 4): threads running slow requests (queries, reloads) off the event loops.
    package var workerThreads = 4

    /// The defaults.
    package init() {}
}

/// `query`: how long one query may run and how many samples it may load.
package struct QueryConfiguration: Sendable, Equatable {
    /// `timeout` (default 10s): a query still running after it is stopped (`503`, errorType `timeout`).
    package var timeoutMilliseconds: Int64 = 10_000
    /// `max_samples` (default 50000000, Prometheus's): a query loading more is stopped (`422`).
    package var maxSamples = QueryLimits.defaultMaxSamples

    /// The defaults.
    package init() {}

    /// The limits as the query engine takes them.
    package var limits: QueryLimits {
        QueryLimits(timeoutMilliseconds: timeoutMilliseconds, maxSamples: maxSamples)
    }
}

/// Log level and line format.
package struct LogConfiguration: Sendable, Equatable {
    /// `level` (default info).
    package var level = LogLevel.info
    /// `format`: logfmt (default) or json.
    package var format = LogFormat.logfmt

    /// The defaults.
    package init() {}
}

/// Where alert history, state, silences and the outbox live.
package struct StoreConfiguration: Sendable, Equatable, CustomStringConvertible {
    /// Which database, with what the driver needs to open it.
    package enum Kind: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    /// The database and how to reach it.
    package var kind: Kind
    /// `instance`: the name this Klaxon writes its rows under, so several can share one database;
    /// nil means the `instance` external label, else the host name (`KlaxonConfiguration.storeInstance`).
    package var instance: String?
    /// `audit_retention` (default 90d): audit records older than this are pruned.
    package var auditRetentionMilliseconds: Int64 = StoreConfiguration.defaultAuditRetentionMilliseconds

    /// 90 days.
    package static let defaultAuditRetentionMilliseconds: Int64 = 90 * 86_400_000

    package init(kind: Kind) {
        self.kind = kind
    }

    /// `sqlite:./data/klaxon.db`: the default `data_dir`'s database.
    package static let defaultSQLite = StoreConfiguration(kind: .sqlite(path: "./data/klaxon.db"))

    /// Parses `sqlite:PATH`, `sqlite:///abs/path`, `postgres://…` or `postgresql://…`.
    package init(parsing url: String) throws(StoreURLError) {
        if url.hasPrefix("sqlite:") {
            var path = url.dropFirst("sqlite:".count)
            if path.hasPrefix("//") { path = path.dropFirst(2) }
            guard !path.isEmpty else { throw .emptySQLitePath }
            self.init(kind: .sqlite(path: String(path)))
        } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let rest = url.drop { $0 != "/" }.dropFirst(2)
            guard !rest.isEmpty else { throw .missingPostgresHost }
            self.init(kind: .postgres(url: url))
        } else {
            let scheme = url.prefix { $0 != ":" }.prefix(20)
            throw .unsupportedScheme(url.contains(":") ? String(scheme) : "")
        }
    }

    /// The URL with any password replaced by `***`, safe for logs.
    package var description: String {
        switch kind {
        case .sqlite(let path): return "sqlite:\(path)"
        case .postgres(let url):
            guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].firstIndex(of: "@") else {
                return url
            }
            let credentials = url[schemeEnd.upperBound..<at]
            guard let colon = credentials.firstIndex(of: ":") else { return url }
            return String(url[..<colon]) + ":***" + String(url[at...])
        }
    }
}

/// Why a store URL was refused; never quotes the URL, which may hold a password.
package enum StoreURLError: Error, Sendable, Hashable, CustomStringConvertible {
    case unsupportedScheme(String)
    case emptySQLitePath
    case missingPostgresHost

    package var description: String {
        switch self {
        case .unsupportedScheme(let scheme):
            (scheme.isEmpty ? "the url has no scheme" : "unsupported scheme \"\(scheme)\"")
                + "; allowed: sqlite:PATH, postgres://user:password@host/db"
        case .emptySQLitePath: "the sqlite path is empty; write e.g. sqlite:data/klaxon.db"
        case .missingPostgresHost: "the postgres url has no host; write postgres://user:password@host:5432/db"
        }
    }
}

/// Push and scrape ingestion limits.
package struct IngestConfiguration: Sendable, Equatable {
    /// A pushed series not refreshed for this long is marked stale.
    package var staleAfterMilliseconds: Int64 = 300_000
    /// Most series held in memory; pushes beyond it are refused.
    package var seriesLimit = 100_000
    /// How far back the per-series ring buffers keep samples.
    package var retentionMilliseconds: Int64 = 3_600_000
    /// Per-job overrides of `stale_after`.
    package var pushGroups: [PushGroupOverride] = []

    /// The defaults.
    package init() {}

    /// The staleness window for pushes of `job`.
    package func staleAfterMilliseconds(forJob job: String) -> Int64 {
        pushGroups.first { $0.job == job }?.staleAfterMilliseconds ?? staleAfterMilliseconds
    }
}

/// `ingest.push_groups[]`: a different staleness window for one pushing job.
package struct PushGroupOverride: Sendable, Equatable {
    /// The `job` grouping label of the pushes this applies to.
    package var job: String
    /// `stale_after` for this job.
    package var staleAfterMilliseconds: Int64

    package init(job: String, staleAfterMilliseconds: Int64) {
        self.job = job
        self.staleAfterMilliseconds = staleAfterMilliseconds
    }
}
