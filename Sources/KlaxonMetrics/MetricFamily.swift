/// The type of a metric family, as `# TYPE` declares it.
///
/// The first five are the text format 0.0.4's; OpenMetrics adds the rest.
package enum MetricType: String, Sendable, CaseIterable {
    case counter
    case gauge
    case histogram
    case summary
    case untyped
    case unknown
    case gaugehistogram
    case stateset
    case info
}

/// An exemplar attached to a sample (OpenMetrics `# {labels} value timestamp`).
package struct Exemplar: Sendable, Equatable {
    package var labels: Labels
    package var value: Double
    /// Seconds since the epoch, as OpenMetrics writes exemplar timestamps.
    package var timestamp: Double?

    package init(labels: Labels, value: Double, timestamp: Double? = nil) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }
}

/// One sample line of an exposition: the full series name (`x_bucket`, `x_sum`…), labels, value.
package struct ParsedSample: Sendable, Equatable {
    /// The sample's metric name as written, suffix included.
    package var name: String
    /// Labels as written, without `__name__`.
    package var labels: Labels
    package var value: Double
    /// Milliseconds since the epoch, when the line carries a timestamp.
    package var timestamp: Int64?
    package var exemplar: Exemplar?

    package init(name: String, labels: Labels, value: Double, timestamp: Int64? = nil, exemplar: Exemplar? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
        self.exemplar = exemplar
    }

    /// The labels with `__name__` set, i.e. the series identity.
    package var seriesLabels: Labels { labels.setting(Labels.metricNameLabel, to: name) }
}

/// A metric family as an exposition carries it: metadata plus its sample lines in order.
package struct ParsedFamily: Sendable, Equatable {
    package var name: String
    package var type: MetricType
    package var help: String?
    package var unit: String?
    package var samples: [ParsedSample]

    package init(
        name: String, type: MetricType = .untyped, help: String? = nil, unit: String? = nil,
        samples: [ParsedSample] = []
    ) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.samples = samples
    }
}

extension Array where Element == ParsedFamily {
    /// The distinct sample names the families carry (`x_bucket`, `x_sum`, … for a histogram `x`).
    ///
    /// Consecutive samples mostly share a name, so each run of one name is hashed once.
    package var sampleNames: Set<String> {
        var names: Set<String> = []
        for family in self {
            var previous: String?
            for sample in family.samples where sample.name != previous {
                names.insert(sample.name)
                previous = sample.name
            }
        }
        return names
    }
}
