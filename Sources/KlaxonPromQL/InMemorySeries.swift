import KlaxonMetrics

/// A series source held in memory, for tests and promtool-style rule tests.
package struct InMemorySeries: SeriesQueryable {
    private var series: [SeriesSamples] = []
    private var indexByLabels: [Labels: Int] = [:]
    /// Series positions by metric name, so a selector naming its metric skips the rest.
    private var indexByName: [String: [Int]] = [:]

    /// An empty source.
    package init() {}

    /// Adds one sample; samples of a series must be appended oldest first (older ones are inserted in order).
    package mutating func append(_ labels: Labels, _ sample: Sample) {
        if let index = indexByLabels[labels] {
            if let last = series[index].samples.last, last.timestamp >= sample.timestamp {
                let position =
                    series[index].samples.firstIndex { $0.timestamp >= sample.timestamp } ?? series[index].samples.count
                if position < series[index].samples.count, series[index].samples[position].timestamp == sample.timestamp
                {
                    series[index].samples[position] = sample
                } else {
                    series[index].samples.insert(sample, at: position)
                }
            } else {
                series[index].samples.append(sample)
            }
        } else {
            indexByLabels[labels] = series.count
            indexByName[labels.metricName ?? "", default: []].append(series.count)
            series.append(SeriesSamples(labels: labels, samples: [sample]))
        }
    }

    /// Adds a described series: step `i` lands at `start + i * step`; nil steps are skipped.
    package mutating func load(_ description: SeriesDescription, start: Int64 = 0, step: Int64) {
        for (index, value) in description.values.enumerated() {
            let (offset, overflowA) = Int64(index).multipliedReportingOverflow(by: step)
            let (time, overflowB) = start.addingReportingOverflow(offset)
            // Steps past the end of representable time cannot be queried; stop there.
            if overflowA || overflowB { return }
            guard let value else { continue }
            append(description.labels, Sample(timestamp: time, value: value))
        }
    }

    /// Drops every series.
    package mutating func removeAll() {
        series.removeAll()
        indexByLabels.removeAll()
        indexByName.removeAll()
    }

    package func select(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [SeriesSamples] {
        var out: [SeriesSamples] = []
        for position in candidates(matchers) {
            let entry = series[position]
            guard matchers.allSatisfy({ $0.matches(entry.labels) }) else { continue }
            let lower = InMemorySeries.firstIndex(entry.samples, atOrAfter: start)
            let upper = InMemorySeries.firstIndex(entry.samples, atOrAfter: end &+ 1)
            if lower < upper {
                out.append(SeriesSamples(labels: entry.labels, samples: Array(entry.samples[lower..<upper])))
            }
        }
        return out
    }

    package func selectLatest(_ matchers: [LabelMatcher], start: Int64, end: Int64) -> [(
        labels: Labels, sample: Sample
    )] {
        var out: [(labels: Labels, sample: Sample)] = []
        for position in candidates(matchers) {
            let entry = series[position]
            guard matchers.allSatisfy({ $0.matches(entry.labels) }) else { continue }
            let upper = InMemorySeries.firstIndex(entry.samples, atOrAfter: end &+ 1)
            guard upper > 0 else { continue }
            let sample = entry.samples[upper - 1]
            if sample.timestamp >= start { out.append((entry.labels, sample)) }
        }
        return out
    }

    /// Positions of the series that may match: those of the named metric when a matcher fixes the name.
    private func candidates(_ matchers: [LabelMatcher]) -> [Int] {
        guard let name = matchers.first(where: { $0.name == Labels.metricNameLabel && $0.type == .equal })?.value else {
            return Array(series.indices)
        }
        return indexByName[name] ?? []
    }

    private static func firstIndex(_ samples: [Sample], atOrAfter time: Int64) -> Int {
        var low = 0
        var high = samples.count
        while low < high {
            let mid = (low + high) / 2
            if samples[mid].timestamp < time { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
