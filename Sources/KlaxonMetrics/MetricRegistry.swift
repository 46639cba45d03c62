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
            .counter(
                InstrumentFamily(name: family, sampleName: name, type: .counter, help: help, labelNames: labelNames) {
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
            .gauge(
                InstrumentFamily(name: name, sampleName: name, type: .gauge, help: help, labelNames: labelNames) {
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
            .histogram(
                InstrumentFamily(name: name, sampleName: name, type: .histogram, help: help, labelNames: labelNames) {
                    Histogram(name: $0, labels: $1, bounds: bounds)
                })
        } extract: { entry in
            if case .histogram(let existing) = entry { existing } else { nil }
        }
    }

    private func validate(_ name: String, labelNames: [String]) throws(MetricRegistryError) {
        guard MetricNames.isValidMetricName(name) else {
            throw MetricRegistryError(description: "invalid self-metric name \(name)")
        }
        for label in labelNames where !MetricNames.isValidLabelName(label) || label.hasPrefix("__") {
            throw MetricRegistryError(description: "invalid label name \(label) for self-metric \(name)")
        }
        if labelNames.dropLast().contains("le") {
            throw MetricRegistryError(
                description: "label name le is reserved for histogram buckets (self-metric \(name))")
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
            throw MetricRegistryError(
                description: "self-metric \(name) is already registered with another type than \(type.rawValue)")
        }
        return result
    }

    // MARK: - Catalogue

    /// Every registered family's name and type, observed or not, sorted by name (for the
    /// dashboard lint, which checks that panels only read metrics Klaxon can expose).
    package var families: [(name: String, type: MetricType)] {
        entries.withLock { $0 }.sorted { $0.key < $1.key }.map { name, entry in
            switch entry {
            case .counter: (name, .counter)
            case .gauge: (name, .gauge)
            case .histogram: (name, .histogram)
            }
        }
    }

    // MARK: - Snapshot

    /// The current values of every self-metric, families sorted by name.
    package func snapshot() -> ExpositionSnapshot {
        let all = entries.withLock { $0 }.sorted { $0.key < $1.key }
        var families: [FamilySnapshot] = []
        for (name, entry) in all {
            switch entry {
            case .counter(let family):
                var copy = FamilySnapshot(name: name, type: .counter, help: family.help, unit: nil)
                for counter in family.all(labelsOf: \.labels) {
                    copy.append(
                        prefix: counter.prefix, openMetricsPrefix: counter.openMetricsPrefix,
                        nameLength: counter.name.utf8.count,
                        value: counter.value
                    )
                }
                if !copy.series.isEmpty { families.append(copy) }
            case .gauge(let family):
                var copy = FamilySnapshot(name: name, type: .gauge, help: family.help, unit: nil)
                for gauge in family.all(labelsOf: \.labels) {
                    copy.append(prefix: gauge.prefix, nameLength: name.utf8.count, value: gauge.value)
                }
                if !copy.series.isEmpty { families.append(copy) }
            case .histogram(let family):
                var copy = FamilySnapshot(name: name, type: .histogram, help: family.help, unit: nil)
                let nameLength = name.utf8.count
                for histogram in family.all(labelsOf: \.labels) {
                    let values = histogram.values
                    for (prefix, count) in zip(histogram.bucketPrefixes, values.cumulative) {
                        copy.append(prefix: prefix, nameLength: nameLength + 7, value: Double(count))
                    }
                    copy.append(prefix: histogram.sumPrefix, nameLength: nameLength + 4, value: values.sum)
                    copy.append(prefix: histogram.countPrefix, nameLength: nameLength + 6, value: Double(values.count))
                }
                if !copy.series.isEmpty { families.append(copy) }
            }
        }
        return ExpositionSnapshot(families: families)
    }

    /// Self-metrics merged with `store`'s series, rendered in `format`; the `/metrics` body.
    package func render(with store: SeriesStore?, format: ExpositionFormat) -> [UInt8] {
        var out: [UInt8] = []
        render(with: store, format: format, into: &out)
        return out
    }

    /// Appends the `/metrics` body to `out`, so a server can reuse one buffer across scrapes.
    ///
    /// The store's part comes from its cached rendering (`SeriesStore.rendered`); self-metric families are
    /// rendered on each call and spliced in by name. A stored family with the name of a registered
    /// self-metric is left out: it is the recorded copy of that self-metric (`SelfMetricsRecorder`), or
    /// a pushed family that would clash with it.
    package func render(with store: SeriesStore?, format: ExpositionFormat, into out: inout [UInt8]) {
        let own = snapshot()
        guard let store else {
            ExpositionWriter.render(own, format: format, into: &out)
            return
        }
        let stored = store.rendered(format)
        let registered = entries.withLock { $0 }
        out.reserveCapacity(out.count + stored.bytes.count + 64 * 1024)
        var ownNext = 0
        var copied = 0
        for (index, name) in stored.names.enumerated() {
            let start = stored.starts[index]
            let end = index + 1 < stored.starts.count ? stored.starts[index + 1] : stored.bytes.count
            while ownNext < own.families.count && own.families[ownNext].name <= name {
                out.append(contentsOf: stored.bytes[copied..<start])
                copied = start
                ExpositionWriter.renderFamilies([own.families[ownNext]], format: format, into: &out)
                ownNext += 1
            }
            if registered[name] != nil {
                out.append(contentsOf: stored.bytes[copied..<start])
                copied = end
            }
        }
        out.append(contentsOf: stored.bytes[copied...])
        ExpositionWriter.renderFamilies(Array(own.families[ownNext...]), format: format, into: &out)
        ExpositionWriter.finish(format, into: &out)
    }
}
