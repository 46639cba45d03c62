/// What has been seen of one metric point (a label set within a family) while its samples are read.
struct OpenMetricsGroup {
    var sawHistogramSample = false
    var lastBound: Double?
    var lastBucketCount = 0.0
    var infinityCount: Double?
    var negativeBucket = false
    var count: Double?
    var sum: Double?
}

/// The name and type of the family being read.
struct OpenMetricsFamilyInfo {
    let name: String
    let type: MetricType
}

// MARK: - Metric points

extension OpenMetricsParserState {
    /// Groups samples into metric points (which must be contiguous) and checks `le`, `quantile` and state labels.
    mutating func checkStructure(_ sample: ParsedSample, suffix: String, family: OpenMetricsFamilyInfo, at offset: Int)
        throws(TextFormatParseError)
    {
        let histogram = family.type == .histogram || family.type == .gaugehistogram
        var special: String?
        if histogram && suffix == "_bucket" {
            special = "le"
        } else if family.type == .summary && suffix == "" {
            special = "quantile"
        } else if family.type == .stateset {
            special = family.name
        }
        var key = sample.labels
        if let special {
            guard sample.labels[special] != nil else {
                throw cursor.error(
                    "\(sample.name) needs a \"\(special)\" label in the \(family.type) family \"\(family.name)\"",
                    at: offset)
            }
            key = sample.labels.removing([special])
        }
        if key != groupKey {
            if let previousKey = groupKey {
                try finishGroup()
                closedGroups.insert(previousKey)
            }
            guard !closedGroups.contains(key) else {
                throw cursor.error(
                    "samples of \(family.name)\(key) are not contiguous; a metric point's samples must be together",
                    at: offset)
            }
            groupKey = key
            group = OpenMetricsGroup()
        }
        if histogram {
            try histogramSample(sample, suffix: suffix, family: family, at: offset)
        } else if let special = special, special == "quantile" {
            let quantile = sample.labels[special] ?? ""
            guard let value = Self.float(quantile), value >= 0, value <= 1 else {
                throw cursor.error("invalid quantile \"\(quantile)\"; it must be a number from 0 to 1", at: offset)
            }
        }
    }

    private mutating func histogramSample(
        _ sample: ParsedSample, suffix: String, family: OpenMetricsFamilyInfo, at offset: Int
    )
        throws(TextFormatParseError)
    {
        let value = sample.value
        switch suffix {
        case "_bucket":
            let text = sample.labels["le"] ?? ""
            guard let bound = Self.float(text), !bound.isNaN, bound.isFinite || text == "+Inf" || text == "-Inf" else {
                throw cursor.error(
                    "invalid le \"\(text)\"; it must be a number, with infinity written +Inf", at: offset)
            }
            guard group.count == nil && group.sum == nil else {
                throw cursor.error("bucket of \(family.name) after its count or sum; buckets come first", at: offset)
            }
            if let last = group.lastBound, bound <= last {
                throw cursor.error(
                    "bucket le=\"\(text)\" of \(family.name) is out of order; le must increase", at: offset)
            }
            guard value >= group.lastBucketCount else {
                throw cursor.error(
                    "bucket le=\"\(text)\" of \(family.name) counts less than the one before", at: offset)
            }
            group.lastBound = bound
            group.lastBucketCount = value
            if bound < 0 { group.negativeBucket = true }
            if bound == .infinity { group.infinityCount = value }
            group.sawHistogramSample = true
        case "_count", "_gcount":
            group.count = value
            group.sawHistogramSample = true
        case "_sum", "_gsum":
            if family.type == .histogram && group.negativeBucket {
                throw cursor.error(
                    "histogram \(family.name) has negative buckets, so it cannot have a _sum", at: offset)
            }
            if family.type == .gaugehistogram && value < 0 && !group.negativeBucket {
                throw cursor.error("_gsum of \(family.name) is negative without negative buckets", at: offset)
            }
            group.sum = value
            group.sawHistogramSample = true
        default:
            break
        }
    }

    /// A histogram point needs a `+Inf` bucket, and `_count` with `_sum` (both or neither) equal to that bucket.
    mutating func finishGroup() throws(TextFormatParseError) {
        guard let key = groupKey, current >= 0, group.sawHistogramSample else { return }
        let family = OpenMetricsFamilyInfo(name: families[current].name, type: families[current].type)
        let (countName, sumName) = family.type == .gaugehistogram ? ("_gcount", "_gsum") : ("_count", "_sum")
        guard let infinity = group.infinityCount else {
            throw cursor.error("histogram \(family.name)\(key) has no le=\"+Inf\" bucket; one is required")
        }
        if (group.count == nil) != (group.sum == nil) {
            throw cursor.error(
                "histogram \(family.name)\(key) has only one of \(countName) and \(sumName); give both or neither")
        }
        if let count = group.count, count != infinity {
            throw cursor.error(
                "histogram \(family.name)\(key) has \(countName) \(count) but its +Inf bucket counts \(infinity)")
        }
    }

    static func float(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { TextFormatNumbers.parseFloat($0, 0, $0.count, .python) }
    }
}
