import KlaxonMetrics
import KlaxonRules

/// Turns rule output into store families, one per metric name (`ALERTS`, `ALERTS_FOR_STATE`).
enum RuleSamples {
    static func families(_ samples: [RuleSample]) -> [ParsedFamily] {
        var families: [ParsedFamily] = []
        var indexByName: [String: Int] = [:]
        for sample in samples {
            let name = sample.labels.metricName ?? ""
            let parsed = ParsedSample(
                name: name, labels: sample.labels.droppingMetricName, value: sample.sample.value,
                timestamp: sample.sample.timestamp)
            if let index = indexByName[name] {
                families[index].samples.append(parsed)
            } else {
                indexByName[name] = families.count
                families.append(ParsedFamily(name: name, type: .gauge, samples: [parsed]))
            }
        }
        return families
    }
}
