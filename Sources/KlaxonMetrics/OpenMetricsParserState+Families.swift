// MARK: - Families and metadata

extension OpenMetricsParserState {
    /// The sample-name suffixes each type allows, `""` being the family name itself.
    static func suffixes(of type: MetricType) -> [String] {
        switch type {
        case .counter: counterSuffixes
        case .gauge, .unknown, .untyped, .stateset: plainSuffixes
        case .histogram: histogramSuffixes
        case .gaugehistogram: gaugeHistogramSuffixes
        case .summary: summarySuffixes
        case .info: infoSuffixes
        }
    }

    private static let counterSuffixes = ["_total", "_created"]
    private static let plainSuffixes = [""]
    private static let histogramSuffixes = ["_bucket", "_count", "_sum", "_created"]
    private static let gaugeHistogramSuffixes = ["_bucket", "_gcount", "_gsum"]
    private static let summarySuffixes = ["", "_count", "_sum", "_created"]
    private static let infoSuffixes = ["_info"]

    /// Checks a metadata line against the family it names, starting that family when it is new.
    mutating func metadata(_ kind: OpenMetricsMetadata, for name: String, at offset: Int) throws(TextFormatParseError) {
        if current >= 0 && families[current].name == name {
            guard families[current].samples.isEmpty else {
                throw cursor.error("metadata for \"\(name)\" after its samples; metadata must come first", at: offset)
            }
        } else {
            try startFamily(name, at: offset)
        }
        let repeated: Bool
        switch kind {
        case .help: (repeated, hasHelp) = (hasHelp, true)
        case .type: (repeated, hasType) = (hasType, true)
        case .unit: (repeated, hasUnit) = (hasUnit, true)
        }
        guard !repeated else {
            throw cursor.error("second \(kind) line for metric family \"\(name)\"; each may appear once", at: offset)
        }
    }

    mutating func setType(_ type: MetricType, at offset: Int) throws(TextFormatParseError) {
        let name = families[current].name
        for suffix in Self.suffixes(of: type) where reserved.contains(name + suffix) {
            throw cursor.error(
                "the \(type) family \"\(name)\" would use the name \"\(name + suffix)\", which an earlier family owns",
                at: offset)
        }
        families[current].type = type
        try checkUnit(at: offset)
    }

    mutating func setUnit(_ unit: String, at offset: Int) throws(TextFormatParseError) {
        let name = families[current].name
        guard unit.isEmpty || name.hasSuffix("_" + unit) else {
            throw cursor.error(
                "the metric name \"\(name)\" must end with \"_\(unit)\" to have the unit \"\(unit)\"", at: offset)
        }
        families[current].unit = unit.isEmpty ? nil : unit
        try checkUnit(at: offset)
    }

    private func checkUnit(at offset: Int) throws(TextFormatParseError) {
        let type = families[current].type
        if families[current].unit != nil && (type == .info || type == .stateset) {
            throw cursor.error("the \(type) family \"\(families[current].name)\" cannot have a unit", at: offset)
        }
    }

    /// Closes the current family and opens `name`, which no earlier family may own.
    mutating func startFamily(_ name: String, at offset: Int) throws(TextFormatParseError) {
        try finishFamily()
        guard !reserved.contains(name) else {
            throw cursor.error(
                "metric family \"\(name)\" repeats or clashes with an earlier family; "
                    + "a family's lines must be contiguous",
                at: offset)
        }
        families.append(ParsedFamily(name: name, type: .unknown))
        current = families.count - 1
        (hasHelp, hasType, hasUnit) = (false, false, false)
        groupKey = nil
        group = OpenMetricsGroup()
        closedGroups.removeAll(keepingCapacity: true)
    }

    mutating func finishFamily() throws(TextFormatParseError) {
        guard current >= 0 else { return }
        try finishGroup()
        let family = families[current]
        for suffix in Self.suffixes(of: family.type) { reserved.insert(family.name + suffix) }
        reserved.insert(family.name)
    }

    // MARK: - Samples

    /// Places a parsed sample in its family and applies the rules of that family's type.
    mutating func accept(_ sample: ParsedSample, seconds: Double?, at offset: Int, valueAt valueOffset: Int)
        throws(TextFormatParseError)
    {
        let suffix: String
        if current >= 0, let found = familySuffix(of: sample.name, in: families[current]) {
            suffix = found
        } else if current >= 0 && sample.name == families[current].name {
            let family = families[current]
            let allowed = Self.suffixes(of: family.type).map { family.name + $0 }.joined(separator: ", ")
            throw cursor.error(
                "samples of the \(family.type) family \"\(family.name)\" must be named \(allowed)", at: offset)
        } else {
            try startFamily(sample.name, at: offset)
            suffix = ""
        }
        // Only name and type: a copy of the family would share, and so copy on append, its sample array.
        let family = OpenMetricsFamilyInfo(name: families[current].name, type: families[current].type)
        try checkValue(sample, suffix: suffix, family: family, at: valueOffset)
        try checkStructure(sample, suffix: suffix, family: family, at: offset)
        try checkTimestamp(sample, seconds: seconds, at: offset)
        families[current].samples.append(sample)
    }

    private func familySuffix(of name: String, in family: ParsedFamily) -> String? {
        guard name.hasPrefix(family.name) else { return nil }
        let rest = String(name.dropFirst(family.name.count))
        return Self.suffixes(of: family.type).contains(rest) ? rest : nil
    }

    /// Counter-like values (totals, counts, sums, buckets) are never NaN nor negative; info is 1, stateset 0 or 1.
    private func checkValue(_ sample: ParsedSample, suffix: String, family: OpenMetricsFamilyInfo, at offset: Int)
        throws(TextFormatParseError)
    {
        let value = sample.value
        let counterLike: Bool
        switch (family.type, suffix) {
        case (.counter, "_total"), (.histogram, "_bucket"), (.histogram, "_count"), (.histogram, "_sum"),
            (.gaugehistogram, "_bucket"), (.gaugehistogram, "_gcount"), (.summary, "_count"), (.summary, "_sum"):
            counterLike = true
        case (.gaugehistogram, "_gsum"):
            guard !value.isNaN else { throw cursor.error("_gsum of \"\(family.name)\" is NaN", at: offset) }
            counterLike = false
        case (.summary, ""):
            guard value.isNaN || value >= 0 else {
                throw cursor.error("summary quantile value \(value) of \"\(family.name)\" is negative", at: offset)
            }
            counterLike = false
        case (.info, _):
            guard value == 1 else {
                throw cursor.error("the value of info sample \(sample.name) must be 1, not \(value)", at: offset)
            }
            counterLike = false
        case (.stateset, _):
            guard value == 0 || value == 1 else {
                throw cursor.error(
                    "the value of stateset sample \(sample.name) must be 0 or 1, not \(value)", at: offset)
            }
            counterLike = false
        default:
            counterLike = false
        }
        if counterLike && (value.isNaN || value < 0) {
            throw cursor.error(
                "\(sample.name) is \(value); counter-like values must not be negative or NaN", at: offset)
        }
        if sample.exemplar != nil {
            switch (family.type, suffix) {
            case (.counter, "_total"), (.histogram, "_bucket"), (.gaugehistogram, "_bucket"): break
            default:
                throw cursor.error(
                    "exemplars are allowed only on counter _total and histogram _bucket samples", at: exemplarOffset)
            }
        }
    }

    /// One series' timestamps never go back, and a series either always or never carries one.
    private mutating func checkTimestamp(_ sample: ParsedSample, seconds: Double?, at offset: Int)
        throws(TextFormatParseError)
    {
        defer { previous = (sample.name, sample.labels, seconds) }
        guard let previous, previous.name == sample.name, previous.labels == sample.labels else { return }
        switch (previous.timestamp, seconds) {
        case (nil, nil): return
        case (let earlier?, let later?) where later >= earlier: return
        case (_?, _?):
            throw cursor.error("timestamps of \(sample.seriesLabels) go back in time", at: offset)
        default:
            throw cursor.error("\(sample.seriesLabels) has a timestamp on some samples but not all", at: offset)
        }
    }
}
