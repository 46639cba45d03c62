/// A point-in-time copy of what `/metrics` shows, taken under the store's lock and rendered outside it.
package struct ExpositionSnapshot: Sendable {
    /// Families sorted by name.
    package var families: [FamilySnapshot]

    package init(families: [FamilySnapshot]) {
        self.families = families
    }

    /// Merges two snapshots into one sorted by family name (self-metrics beside stored series).
    package func merged(with other: ExpositionSnapshot) -> ExpositionSnapshot {
        var result: [FamilySnapshot] = []
        result.reserveCapacity(families.count + other.families.count)
        var left = 0
        var right = 0
        while left < families.count || right < other.families.count {
            if right == other.families.count || (left < families.count && families[left].name <= other.families[right].name) {
                result.append(families[left])
                left += 1
            } else {
                result.append(other.families[right])
                right += 1
            }
        }
        return ExpositionSnapshot(families: result)
    }
}

/// One metric family in a snapshot: metadata and its live series in exposition order.
package struct FamilySnapshot: Sendable {
    /// The OpenMetrics family name (counters without `_total`, infos without `_info`).
    package var name: String
    package var type: MetricType
    package var help: String?
    package var unit: String?
    package var series: [SeriesSnapshot]

    package init(name: String, type: MetricType, help: String?, unit: String?, series: [SeriesSnapshot]) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
        self.series = series
    }
}

/// One series' newest value, with its label text pre-rendered once per series.
package struct SeriesSnapshot: Sendable {
    /// `name{label="value",...}` as the text format writes it.
    package var prefix: [UInt8]
    /// The same for OpenMetrics when it differs (a counter sample stored without `_total`).
    package var openMetricsPrefix: [UInt8]?
    /// True for series text format 0.0.4 shows as a gauge family of their own
    /// (`_created`, `_gsum`, `_gcount`), as prometheus_client does.
    package var separateInText: Bool
    /// The sample name, for the text format's family name of separated and counter series.
    package var name: String
    package var value: Double
    /// Unix milliseconds, present only when the producer gave the timestamp explicitly.
    package var timestamp: Int64?

    package init(
        prefix: [UInt8], openMetricsPrefix: [UInt8]? = nil, separateInText: Bool = false, name: String, value: Double,
        timestamp: Int64? = nil
    ) {
        self.prefix = prefix
        self.openMetricsPrefix = openMetricsPrefix
        self.separateInText = separateInText
        self.name = name
        self.value = value
        self.timestamp = timestamp
    }

    /// Renders `name{labels}` once, with label values escaped, `__name__` left out.
    package static func renderPrefix(name: String, labels: Labels) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count + labels.count * 16)
        out.append(contentsOf: name.utf8)
        var first = true
        for label in labels where label.name != Labels.metricNameLabel {
            out.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            out.append(contentsOf: label.name.utf8)
            out.append(UInt8(ascii: "="))
            out.append(UInt8(ascii: "\""))
            for byte in label.value.utf8 {
                switch byte {
                case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case UInt8(ascii: "\""): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                default: out.append(byte)
                }
            }
            out.append(UInt8(ascii: "\""))
        }
        if !first { out.append(UInt8(ascii: "}")) }
        return out
    }
}
