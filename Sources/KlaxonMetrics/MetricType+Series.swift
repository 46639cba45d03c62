// MARK: - Which sample names a family owns

extension MetricType {
    /// Suffixes appended to the family name to name its samples, in exposition order.
    var sampleSuffixes: [String] {
        switch self {
        case .counter: ["_total", "", "_created"]
        case .histogram: ["_bucket", "_sum", "_count", "_created"]
        case .gaugehistogram: ["_bucket", "_gsum", "_gcount"]
        case .summary: ["", "_sum", "_count", "_created"]
        case .info: ["_info"]
        case .gauge, .untyped, .unknown, .stateset: [""]
        }
    }

    /// The family name samples hang off: counters drop `_total`, infos drop `_info`, as in OpenMetrics.
    func canonicalFamilyName(_ name: String) -> String {
        switch self {
        case .counter where name.hasSuffix("_total") && name.utf8.count > 6: String(name.dropLast(6))
        case .info where name.hasSuffix("_info") && name.utf8.count > 5: String(name.dropLast(5))
        default: name
        }
    }

    /// The position of `suffix` in exposition order, or nil when a family of this type cannot hold it.
    func suffixRank(_ suffix: Substring) -> Int? {
        switch self {
        case .counter: suffix == "_created" ? 1 : (suffix == "_total" || suffix.isEmpty ? 0 : nil)
        default: sampleSuffixes.firstIndex { $0 == suffix }
        }
    }

    /// The label that orders samples inside one group: `le` for buckets, `quantile` for summaries.
    func boundLabel(suffix: Substring) -> String? {
        switch self {
        case .histogram, .gaugehistogram: suffix == "_bucket" ? "le" : nil
        case .summary: suffix.isEmpty ? "quantile" : nil
        default: nil
        }
    }
}

/// Where a series sits inside its family on `/metrics`: grouped by labels, then by suffix, then by bound,
/// so a histogram's buckets, sum and count stay together as OpenMetrics requires.
struct SeriesSortKey: Sendable, Comparable {
    var group: Labels
    var rank: Int
    var bound: Double

    init(labels: Labels, name: String, family: String, type: MetricType) {
        let suffix = Substring(name.utf8.dropFirst(family.utf8.count))
        rank = type.suffixRank(suffix) ?? 0
        var removed: Set<String> = [Labels.metricNameLabel]
        bound = 0
        if let boundName = type.boundLabel(suffix: suffix) {
            removed.insert(boundName)
            bound = labels[boundName].flatMap { Double.parseExposition($0) } ?? .infinity
        }
        group = labels.removing(removed)
    }

    static func < (lhs: SeriesSortKey, rhs: SeriesSortKey) -> Bool {
        if lhs.group != rhs.group { return lhs.group < rhs.group }
        if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
        return lhs.bound < rhs.bound
    }
}

extension Double {
    /// Parses a float as expositions write it, including `+Inf`, `-Inf` and `NaN`.
    static func parseExposition(_ text: String) -> Double? {
        switch text {
        case "+Inf", "Inf", "+inf", "inf": .infinity
        case "-Inf", "-inf": -.infinity
        case "NaN", "nan": .nan
        default: Double(text)
        }
    }
}
