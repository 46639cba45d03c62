import KlaxonMetrics

/// One `scrape_configs[]` entry: a job whose targets Klaxon scrapes on an interval.
package struct ScrapeConfiguration: Sendable, Equatable {
    package var jobName: String
    package var targets: [HostPort]
    package var intervalMilliseconds: Int64 = 15_000
    /// At most the interval.
    package var timeoutMilliseconds: Int64 = 10_000
    package var metricsPath = "/metrics"
    package var format = ScrapeFormat.prometheus
    /// How to turn a JSON body into samples; set exactly when `format` is `.json`.
    package var json: JSONScrapeMapping?
    /// Labels added to every scraped series.
    package var labels = Labels.empty

    package init(jobName: String, targets: [HostPort]) {
        self.jobName = jobName
        self.targets = targets
    }
}

/// What a scrape target answers with.
package enum ScrapeFormat: String, Sendable, CaseIterable {
    case prometheus
    case json
}

/// `scrape_configs[].json`: the metrics to read out of a JSON body.
package struct JSONScrapeMapping: Sendable, Equatable {
    package var metrics: [JSONMetricMapping]

    package init(metrics: [JSONMetricMapping]) {
        self.metrics = metrics
    }
}

/// One metric read from JSON: its values at `path`, labels from paths relative to each value's object.
package struct JSONMetricMapping: Sendable, Equatable {
    package var name: String
    package var path: JSONPath
    package var labels: [JSONLabelMapping]
    /// `.gauge` or `.counter`.
    package var type: MetricType
    package var help: String?

    package init(name: String, path: JSONPath, labels: [JSONLabelMapping], type: MetricType, help: String?) {
        self.name = name
        self.path = path
        self.labels = labels
        self.type = type
        self.help = help
    }
}

/// A label whose value is read from a JSON path.
package struct JSONLabelMapping: Sendable, Equatable {
    package var name: String
    package var path: JSONPath

    package init(name: String, path: JSONPath) {
        self.name = name
        self.path = path
    }
}
