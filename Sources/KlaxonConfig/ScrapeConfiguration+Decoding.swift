import KlaxonMetrics

extension ScrapeConfiguration {
    static let keys = ["job_name", "targets", "interval", "timeout", "metrics_path", "format", "json", "labels"]

    /// Decodes one `scrape_configs[]` entry; nil when `job_name` is missing or invalid (reported).
    init?(decoding reader: MappingReader) {
        guard let jobName = reader.required("job_name")?.string() else { return nil }
        guard !jobName.isEmpty else {
            reader.fail(key: "job_name", "must not be empty")
            return nil
        }
        self.init(jobName: jobName, targets: [])
        decodeTargets(reader)
        let interval = reader["interval"]?.positiveDuration()
        if let interval { intervalMilliseconds = interval }
        if let timeout = reader["timeout"]?.positiveDuration() {
            if timeout > intervalMilliseconds {
                reader.fail(
                    key: "timeout",
                    "timeout \(PrometheusDuration.format(milliseconds: timeout)) is longer than the interval "
                        + "\(PrometheusDuration.format(milliseconds: intervalMilliseconds)); it must be at most the interval"
                )
            } else {
                timeoutMilliseconds = timeout
            }
        } else {
            // As in Prometheus: an unset timeout never exceeds the interval.
            timeoutMilliseconds = min(timeoutMilliseconds, intervalMilliseconds)
        }
        if let path = reader.string("metrics_path") {
            if path.hasPrefix("/") {
                metricsPath = path
            } else {
                reader.fail(key: "metrics_path", "must start with \"/\"")
            }
        }
        if let name = reader.oneOf("format", ScrapeFormat.allCases.map(\.rawValue)),
            let parsed = ScrapeFormat(rawValue: name)
        {
            format = parsed
        }
        decodeJSON(reader)
        if let labels = reader["labels"]?.labelSet() { self.labels = labels }
    }

    private mutating func decodeTargets(_ reader: MappingReader) {
        guard let items = reader.required("targets")?.sequence() else { return }
        if items.isEmpty { reader.fail(key: "targets", "list at least one host:port target") }
        var seen: Set<HostPort> = []
        for item in items {
            guard let target = item.hostPort(allowsEmptyHost: false) else { continue }
            if !seen.insert(target).inserted {
                item.fail("duplicate target \"\(target)\"")
                continue
            }
            targets.append(target)
        }
    }

    private mutating func decodeJSON(_ reader: MappingReader) {
        guard format == .json else {
            if reader.has("json") { reader.fail(key: "json", "is only used with format: json") }
            return
        }
        guard let mapping = reader.required("json")?.mapping(allowedKeys: ["metrics"]),
            let items = mapping.required("metrics")?.sequence()
        else { return }
        if items.isEmpty { mapping.fail(key: "metrics", "list at least one metric") }
        json = JSONScrapeMapping(metrics: items.compactMap { JSONMetricMapping(decoding: $0) })
    }
}

extension JSONMetricMapping {
    static let keys = ["name", "path", "labels", "type", "help"]

    /// Decodes one `json.metrics[]` entry; nil when a required field is missing or invalid (reported).
    init?(decoding item: ValueReader) {
        guard let reader = item.mapping(allowedKeys: Self.keys) else { return nil }
        let nameValue = reader.required("name")
        let name = nameValue?.string()
        if let name, !MetricNames.isValidMetricName(name) {
            nameValue?.fail("invalid metric name \"\(name)\"; use [a-zA-Z_:][a-zA-Z0-9_:]*")
        }
        let path = reader.required("path")?.jsonPath()
        var labels: [JSONLabelMapping] = []
        if let labelsValue = reader["labels"], let entries = labelsValue.stringMap() {
            for entry in entries {
                let entryPath = labelsValue.path.appending(entry.key)
                if !MetricNames.isValidLabelName(entry.key) || entry.key.hasPrefix("__") {
                    item.diagnostics.report(
                        "\(entryPath): invalid label name \"\(entry.key)\"; use [a-zA-Z_][a-zA-Z0-9_]* not starting with __",
                        at: entry.keyMark, path: entryPath)
                    continue
                }
                do {
                    labels.append(JSONLabelMapping(name: entry.key, path: try JSONPath(parsing: entry.value)))
                } catch {
                    item.diagnostics.report(
                        "\(entryPath): invalid path \"\(entry.value.prefix(64))\": \(error.description)",
                        at: entry.valueMark, path: entryPath)
                }
            }
        }
        var type = MetricType.gauge
        if let typeName = reader.oneOf("type", [MetricType.gauge.rawValue, MetricType.counter.rawValue]),
            let parsed = MetricType(rawValue: typeName)
        {
            type = parsed
        }
        let help = reader.string("help")
        guard let name, MetricNames.isValidMetricName(name), let path else { return nil }
        self.init(name: name, path: path, labels: labels, type: type, help: help)
    }
}
