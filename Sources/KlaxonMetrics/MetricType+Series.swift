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
///
/// The group is the series' labels but `__name__` and the bound label, compared as `Labels` compares; the
/// key holds the series' own label set (no copy: it shares the stored array) and skips those two names.
struct SeriesSortKey: Sendable, Comparable {
    var labels: Labels
    /// The bound label's position in `boundNames`, -1 when the series has none.
    var boundLabel: Int8
    var rank: Int
    var bound: Double

    private static let boundNames = ["le", "quantile"]

    init(labels: Labels, name: String, family: String, type: MetricType) {
        let suffix = Substring(name.utf8.dropFirst(family.utf8.count))
        rank = type.suffixRank(suffix) ?? 0
        self.labels = labels
        boundLabel = -1
        bound = 0
        if let boundName = type.boundLabel(suffix: suffix), let index = Self.boundNames.firstIndex(of: boundName) {
            boundLabel = Int8(truncatingIfNeeded: index)
            bound = labels[boundName].flatMap { Double.parseExposition($0) } ?? .infinity
        }
    }

    /// True for the names the group leaves out.
    private func skips(_ name: String) -> Bool {
        name == Labels.metricNameLabel || (boundLabel >= 0 && name == Self.boundNames[Int(boundLabel)])
    }

    /// How the groups compare: `<` as `Labels` orders the label sets without the skipped names, nil when equal.
    private static func groupPrecedes(_ lhs: SeriesSortKey, _ rhs: SeriesSortKey) -> Bool? {
        let left = lhs.labels
        let right = rhs.labels
        var mine = 0
        var theirs = 0
        while true {
            while mine < left.count, lhs.skips(left[mine].name) { mine += 1 }
            while theirs < right.count, rhs.skips(right[theirs].name) { theirs += 1 }
            guard mine < left.count, theirs < right.count else { break }
            let (a, b) = (left[mine], right[theirs])
            if a.name != b.name { return a.name < b.name }
            if a.value != b.value { return a.value < b.value }
            mine += 1
            theirs += 1
        }
        let leftDone = mine >= left.count
        let rightDone = theirs >= right.count
        return leftDone == rightDone ? nil : leftDone
    }

    static func < (lhs: SeriesSortKey, rhs: SeriesSortKey) -> Bool {
        if let precedes = groupPrecedes(lhs, rhs) { return precedes }
        if lhs.rank != rhs.rank { return lhs.rank < rhs.rank }
        return lhs.bound < rhs.bound
    }

    static func == (lhs: SeriesSortKey, rhs: SeriesSortKey) -> Bool {
        groupPrecedes(lhs, rhs) == nil && lhs.rank == rhs.rank && lhs.bound == rhs.bound
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
