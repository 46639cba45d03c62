import KlaxonMetrics
import KlaxonRuntime

// MARK: - Top level

extension KlaxonConfiguration {
    static let keys = [
        "server", "environment", "data_dir", "log", "storage", "store", "ingest", "scrape_configs", "rule_files",
        "api", "evaluation_interval", "external_labels", "external_url", "routing", "query", "receivers",
    ]

    /// Decodes the root mapping of `klaxon.yml`; every problem is reported to the reader's diagnostics.
    init(decoding root: MappingReader, processEnvironment: [String: String]) {
        self.init()
        if let reader = root.mapping("server", allowedKeys: ServerConfiguration.keys) {
            server.decode(reader)
        }
        if let reader = root.mapping("api", allowedKeys: APIConfiguration.keys) {
            api = APIConfiguration(decoding: reader)
        }
        if let name = root.oneOf("environment", DeploymentEnvironment.allCases.map(\.rawValue)),
            let value = DeploymentEnvironment(rawValue: name)
        {
            environment = value
            environmentSource = "config"
        }
        applyEnvironmentOverride(processEnvironment, root: root)
        if let directory = root["data_dir"]?.string() {
            if directory.isEmpty { root.fail(key: "data_dir", "must not be empty") } else { dataDirectory = directory }
        }
        if let reader = root.mapping("log", allowedKeys: ["level", "format"]) {
            if let value = reader["level"], let name = value.string() {
                if let level = LogLevel(parsing: name) {
                    log.level = level
                } else {
                    value.fail("\"\(name.prefix(32))\" is not allowed; allowed: \(LogLevel.spellings)")
                }
            }
            if let name = reader.oneOf("format", LogFormat.allCases.map(\.rawValue)),
                let format = LogFormat(rawValue: name)
            {
                log.format = format
            }
        }
        decodeStore(root)
        if let reader = root.mapping("ingest", allowedKeys: IngestConfiguration.keys) {
            ingest.decode(reader)
        }
        if let reader = root.mapping("query", allowedKeys: QueryConfiguration.keys) {
            query.decode(reader)
        }
        decodeScrapeConfigs(root)
        if let patterns = root.sequence("rule_files") {
            ruleFiles = patterns.compactMap { item in
                guard let pattern = item.string() else { return nil }
                if pattern.isEmpty { item.fail("a rule file pattern must not be empty") }
                return pattern.isEmpty ? nil : pattern
            }
        }
        if let interval = root["evaluation_interval"].flatMap({ $0.positiveDuration() }) {
            evaluationIntervalMilliseconds = interval
        }
        if let labels = root["external_labels"]?.labelSet() {
            externalLabels = labels
        }
        if let value = root["external_url"], let text = value.string() {
            do {
                externalURL = try ExternalURL.parse(text)
            } catch {
                value.fail("\"\(text.prefix(64))\" \(error.description)")
            }
        }
        if let reader = root.mapping("routing", allowedKeys: RoutingConfiguration.keys) {
            routing = RoutingConfiguration(decoding: reader)
        }
        decodeReceivers(root, processEnvironment: processEnvironment)
        placeStoreInDataDirectory()
    }

    /// `KLAXON_ENV` wins over `APP_ENV`, which wins over the file.
    private mutating func applyEnvironmentOverride(_ processEnvironment: [String: String], root: MappingReader) {
        for variable in DeploymentEnvironment.variables {
            guard let value = processEnvironment[variable], !value.isEmpty else { continue }
            guard let parsed = DeploymentEnvironment(rawValue: value) else {
                let allowed = DeploymentEnvironment.allCases.map(\.rawValue).joined(separator: ", ")
                root.diagnostics.report(
                    "environment variable \(variable) is \"\(value.prefix(32))\"; allowed: \(allowed)",
                    at: root.mark(of: "environment"), path: FieldPath().appending("environment"))
                return
            }
            environment = parsed
            environmentSource = variable
            return
        }
    }

    private mutating func decodeStore(_ root: MappingReader) {
        if root.has("storage") && root.has("store") {
            root.fail(key: "store", "both \"storage\" and \"store\" are set; keep one (they are the same setting)")
            return
        }
        let key = root.has("store") ? "store" : "storage"
        let reader = root.mapping(key, allowedKeys: ["url", "instance", "audit_retention"])
        if let urlValue = reader?["url"] {
            if let url = urlValue.secretString() {
                do {
                    store = try StoreConfiguration(parsing: url)
                    storeURLGiven = true
                } catch {
                    urlValue.fail("invalid store url: \(error.description)")
                }
            }
        }
        guard let reader else { return }
        if let instanceValue = reader["instance"], let instance = instanceValue.string() {
            if instance.isEmpty || instance.count > 256 {
                instanceValue.fail("must be 1 to 256 characters (the name this Klaxon's rows carry)")
            } else {
                store.instance = instance
            }
        }
        if let retention = reader["audit_retention"]?.positiveDuration() {
            store.auditRetentionMilliseconds = retention
        }
    }

    private mutating func decodeScrapeConfigs(_ root: MappingReader) {
        guard let items = root.sequence("scrape_configs") else { return }
        var seenJobs: [String: Mark] = [:]
        for item in items {
            guard let reader = item.mapping(allowedKeys: ScrapeConfiguration.keys),
                let scrape = ScrapeConfiguration(decoding: reader)
            else { continue }
            if let first = seenJobs[scrape.jobName] {
                reader.fail(
                    key: "job_name",
                    "duplicate job_name \"\(scrape.jobName)\" (first used at line \(first.line)); job names must be unique"
                )
                continue
            }
            seenJobs[scrape.jobName] = reader.mark(of: "job_name")
            scrapeConfigs.append(scrape)
        }
    }
}

// MARK: - Sections

extension ServerConfiguration {
    static let keys = [
        "listen", "max_body_bytes", "max_connections", "read_timeout", "read_header_timeout", "idle_timeout",
        "io_threads", "worker_threads",
    ]

    mutating func decode(_ reader: MappingReader) {
        if let address = reader["listen"]?.hostPort(allowsEmptyHost: true) { listen = address }
        if let bytes = reader["max_body_bytes"]?.byteCount(in: 1...(1 << 30)) { maxBodyBytes = bytes }
        if let count = reader.int("max_connections", in: 1...1_048_576) { maxConnections = count }
        if let timeout = reader["read_timeout"]?.positiveDuration() { readTimeoutMilliseconds = timeout }
        if let timeout = reader["read_header_timeout"]?.positiveDuration() { readHeaderTimeoutMilliseconds = timeout }
        if let timeout = reader["idle_timeout"]?.positiveDuration() { idleTimeoutMilliseconds = timeout }
        if let threads = reader.int("io_threads", in: 1...256) { ioThreads = threads }
        if let threads = reader.int("worker_threads", in: 1...256) { workerThreads = threads }
    }
}

extension QueryConfiguration {
    static let keys = ["timeout", "max_samples"]

    mutating func decode(_ reader: MappingReader) {
        if let timeout = reader["timeout"]?.positiveDuration() { timeoutMilliseconds = timeout }
        if let samples = reader.int("max_samples", in: 1...Int(Int32.max)) { maxSamples = samples }
    }
}

extension IngestConfiguration {
    static let keys = ["stale_after", "series_limit", "retention", "push_groups"]

    mutating func decode(_ reader: MappingReader) {
        if let window = reader["stale_after"]?.positiveDuration() { staleAfterMilliseconds = window }
        if let limit = reader.int("series_limit", in: 1...100_000_000) { seriesLimit = limit }
        if let window = reader["retention"]?.positiveDuration() { retentionMilliseconds = window }
        guard let groups = reader.sequence("push_groups") else { return }
        var seen: Set<String> = []
        for group in groups {
            guard let entry = group.mapping(allowedKeys: ["job", "stale_after"]),
                let job = entry.required("job")?.string()
            else { continue }
            guard let window = entry.required("stale_after")?.positiveDuration() else { continue }
            if job.isEmpty {
                entry.fail(key: "job", "must not be empty")
            } else if !seen.insert(job).inserted {
                entry.fail(key: "job", "duplicate push group \"\(job)\"; each job may have one override")
            } else {
                pushGroups.append(PushGroupOverride(job: job, staleAfterMilliseconds: window))
            }
        }
    }
}

// MARK: - Shared value checks

extension ValueReader {
    /// A duration greater than zero.
    package func positiveDuration() -> Int64? {
        guard let milliseconds = durationMilliseconds() else { return nil }
        guard milliseconds > 0 else {
            fail("must be greater than 0s")
            return nil
        }
        return milliseconds
    }

    /// A mapping of label names to values; names must be valid and not reserved (`__` prefix).
    package func labelSet() -> Labels? {
        guard let entries = stringMap() else { return nil }
        var labels: [Label] = []
        for entry in entries {
            if !MetricNames.isValidLabelName(entry.key) || entry.key.hasPrefix("__") {
                let keyPath = path.appending(entry.key)
                diagnostics.report(
                    "\(keyPath): invalid label name \"\(entry.key)\"; use [a-zA-Z_][a-zA-Z0-9_]* not starting with __",
                    at: entry.keyMark, path: keyPath)
                continue
            }
            labels.append(Label(entry.key, entry.value))
        }
        return Labels(labels)
    }
}
