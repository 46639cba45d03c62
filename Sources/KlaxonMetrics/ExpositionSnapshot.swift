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
            if right == other.families.count
                || (left < families.count && families[left].name <= other.families[right].name)
            {
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
///
/// The series' label text sits in one byte arena so rendering copies bytes without touching
/// reference counts; each series record is plain values.
package struct FamilySnapshot: Sendable {
    /// The OpenMetrics family name (counters without `_total`, infos without `_info`).
    package var name: String
    package var type: MetricType
    package var help: String?
    package var unit: String?
    /// Every series' `name{labels}` text, back to back.
    package private(set) var labelText: [UInt8] = []
    package private(set) var series: [SeriesSnapshot] = []

    package init(name: String, type: MetricType, help: String?, unit: String?) {
        self.name = name
        self.type = type
        self.help = help
        self.unit = unit
    }

    /// A family whose label text and series records were built before (the store's per-family cache).
    init(
        name: String, type: MetricType, help: String?, unit: String?, labelText: [UInt8], series: [SeriesSnapshot]
    ) {
        self.init(name: name, type: type, help: help, unit: unit)
        self.labelText = labelText
        self.series = series
    }

    /// Adds a series whose `prefix` (`name{labels}`) begins with a sample name of `nameLength` bytes.
    package mutating func append(
        prefix: [UInt8], openMetricsPrefix: [UInt8]? = nil, nameLength: Int, separateInText: Bool = false,
        value: Double,
        timestamp: Int64? = nil
    ) {
        let start = labelText.count
        labelText.append(contentsOf: prefix)
        var openMetricsRange: Range<Int>?
        if let openMetricsPrefix {
            let openMetricsStart = labelText.count
            labelText.append(contentsOf: openMetricsPrefix)
            openMetricsRange = openMetricsStart..<labelText.count
        }
        series.append(
            SeriesSnapshot(
                prefix: start..<(start + prefix.count), openMetricsPrefix: openMetricsRange,
                nameLength: min(nameLength, prefix.count), separateInText: separateInText, value: value,
                timestamp: timestamp
            )
        )
    }

    /// The sample name of `series`, e.g. `x_bucket`.
    package func sampleName(of series: SeriesSnapshot) -> String {
        String(
            decoding: labelText[series.prefix.lowerBound..<(series.prefix.lowerBound + series.nameLength)],
            as: UTF8.self)
    }

    /// The rendered `name{labels}` of `series`, for tests and messages.
    package func prefixText(of series: SeriesSnapshot) -> String {
        String(decoding: labelText[series.prefix], as: UTF8.self)
    }
}

/// One series' newest value; its label text lives in the family's arena.
package struct SeriesSnapshot: Sendable {
    /// Where `name{label="value",...}` sits in the family's `labelText`.
    package var prefix: Range<Int>
    /// The OpenMetrics text when it differs (a counter sample stored without `_total`).
    package var openMetricsPrefix: Range<Int>?
    /// How many bytes of `prefix` are the sample name.
    package var nameLength: Int
    /// True for series text format 0.0.4 shows as a gauge family of their own
    /// (`_created`, `_gsum`, `_gcount`), as prometheus_client does.
    package var separateInText: Bool
    package var value: Double
    /// Unix milliseconds, present only when the producer gave the timestamp explicitly.
    package var timestamp: Int64?
}

/// Label text rendering shared by the store and the self-metrics.
package enum SeriesPrefix {
    /// Renders `name{labels}` once, with label values escaped, `__name__` left out; with `emptyInstance`, an
    /// `instance=""` goes in its sorted place (the labels must not hold `instance`).
    package static func render(name: String, labels: Labels, emptyInstance: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count + labels.count * 16 + (emptyInstance ? 12 : 0))
        out.append(contentsOf: name.utf8)
        var first = true
        var instancePending = emptyInstance
        for label in labels where label.name != Labels.metricNameLabel {
            if instancePending && label.name > "instance" {
                out.append(contentsOf: (first ? "{instance=\"\"" : ",instance=\"\"").utf8)
                first = false
                instancePending = false
            }
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
        if instancePending { out.append(contentsOf: (first ? "{instance=\"\"" : ",instance=\"\"").utf8) }
        if instancePending || !first { out.append(UInt8(ascii: "}")) }
        return out
    }
}
