import Synchronization

/// Klaxon's own metrics (`klaxon_*`): counters, gauges and histograms rendered beside the stored series.
package final class MetricRegistry: Sendable {
    private enum Entry: Sendable {
        case counter(InstrumentFamily<Counter>)
        case gauge(InstrumentFamily<Gauge>)
        case histogram(InstrumentFamily<Histogram>)
    }

    private let entries = Mutex<[String: Entry]>([:])

    package init() {}

    // MARK: - Registration

    /// The counter family `name` (conventionally ending in `_total`); registering it again returns the same family.
    package func counter(_ name: String, help: String, labelNames: [String] = []) throws(MetricRegistryError)
        -> InstrumentFamily<Counter>
    {
        let family = MetricType.counter.canonicalFamilyName(name)
        try validate(name, labelNames: labelNames)
        return try register(family, type: .counter) {
            .counter(InstrumentFamily(name: family, sampleName: name, type: .counter, help: help, labelNames: labelNames) {
                Counter(name: $0, labels: $1)
            })
        } extract: { entry in
            if case .counter(let existing) = entry { existing } else { nil }
        }
    }

    /// The gauge family `name`; registering it again returns the same family.
    package func gauge(_ name: String, help: String, labelNames: [String] = []) throws(MetricRegistryError)
        -> InstrumentFamily<Gauge>
    {
        try validate(name, labelNames: labelNames)
        return try register(name, type: .gauge) {
            .gauge(InstrumentFamily(name: name, sampleName: name, type: .gauge, help: help, labelNames: labelNames) {
                Gauge(name: $0, labels: $1)
            })
        } extract: { entry in
            if case .gauge(let existing) = entry { existing } else { nil }
        }
    }

    /// The histogram family `name` with upper bounds `buckets` (`+Inf` is added); registering it again returns it.
    package func histogram(_ name: String, help: String, labelNames: [String] = [], buckets: [Double])
        throws(MetricRegistryError) -> InstrumentFamily<Histogram>
    {
        try validate(name, labelNames: labelNames + ["le"])
        let bounds = Array(Set(buckets.filter { $0.isFinite })).sorted()
        return try register(name, type: .histogram) {
            .histogram(InstrumentFamily(name: name, sampleName: name, type: .histogram, help: help, labelNames: labelNames) {
                Histogram(name: $0, labels: $1, bounds: bounds)
            })
        } extract: { entry in
            if case .histogram(let existing) = entry { existing } else { nil }
        }
    }

    private func validate(_ name: String, labelNames: [String]) throws(MetricRegistryError) {
        guard MetricNames.isValidMetricName(name) else { throw MetricRegistryError(description: "invalid self-metric name \(name)") }
        for label in labelNames where !MetricNames.isValidLabelName(label) || label.hasPrefix("__") {
            throw MetricRegistryError(description: "invalid label name \(label) for self-metric \(name)")
        }
        if labelNames.dropLast().contains("le") {
            throw MetricRegistryError(description: "label name le is reserved for histogram buckets (self-metric \(name))")
        }
    }

    private func register<Family>(
        _ name: String, type: MetricType, make: () -> Entry, extract: (Entry) -> Family?
    ) throws(MetricRegistryError) -> Family {
        let result: Family? = entries.withLock { entries in
            if let existing = entries[name] { return extract(existing) }
            let entry = make()
            entries[name] = entry
            return extract(entry)
        }
        guard let result else {
            throw MetricRegistryError(description: "self-metric \(name) is already registered with another type than \(type.rawValue)")
        }
        return result
    }

    // MARK: - Snapshot

    /// The current values of every self-metric, families sorted by name.
    package func snapshot() -> ExpositionSnapshot {
        let all = entries.withLock { $0 }.sorted { $0.key < $1.key }
        var families: [FamilySnapshot] = []
        for (name, entry) in all {
            var series: [SeriesSnapshot] = []
            let type: MetricType
            let help: String
            switch entry {
            case .counter(let family):
                (type, help) = (.counter, family.help)
                for counter in family.all(labelsOf: \.labels) {
                    series.append(
                        SeriesSnapshot(
                            prefix: counter.prefix, openMetricsPrefix: counter.openMetricsPrefix, name: counter.name,
                            value: counter.value
                        )
                    )
                }
            case .gauge(let family):
                (type, help) = (.gauge, family.help)
                for gauge in family.all(labelsOf: \.labels) {
                    series.append(SeriesSnapshot(prefix: gauge.prefix, name: name, value: gauge.value))
                }
            case .histogram(let family):
                (type, help) = (.histogram, family.help)
                for histogram in family.all(labelsOf: \.labels) {
                    let values = histogram.values
                    for (prefix, count) in zip(histogram.bucketPrefixes, values.cumulative) {
                        series.append(SeriesSnapshot(prefix: prefix, name: name + "_bucket", value: Double(count)))
                    }
                    series.append(SeriesSnapshot(prefix: histogram.sumPrefix, name: name + "_sum", value: values.sum))
                    series.append(SeriesSnapshot(prefix: histogram.countPrefix, name: name + "_count", value: Double(values.count)))
                }
            }
            if !series.isEmpty {
                families.append(FamilySnapshot(name: name, type: type, help: help, unit: nil, series: series))
            }
        }
        return ExpositionSnapshot(families: families)
    }

    /// Self-metrics merged with `store`'s series, rendered in `format`; the `/metrics` body.
    package func render(with store: SeriesStore?, format: ExpositionFormat) -> [UInt8] {
        var combined = snapshot()
        if let store { combined = combined.merged(with: store.snapshot()) }
        return ExpositionWriter.render(combined, format: format)
    }
}
