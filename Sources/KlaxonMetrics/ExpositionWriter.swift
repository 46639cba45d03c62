/// Renders snapshots into exposition bytes; the hot path behind `/metrics`.
///
/// Each series' label text was rendered once when the series was created; here only the value
/// (and the rare timestamp) is formatted per series, straight into a buffer sized beforehand.
package enum ExpositionWriter {
    /// Appends `snapshot` to `out` in `format` (OpenMetrics ends with `# EOF`).
    package static func render(_ snapshot: ExpositionSnapshot, format: ExpositionFormat, into out: inout [UInt8]) {
        ByteWriter.appending(to: &out, bound: upperBound(snapshot)) { out in
            switch format {
            case .text:
                for family in snapshot.families { renderText(family, into: &out) }
            case .openMetrics:
                for family in snapshot.families { renderOpenMetrics(family, into: &out) }
                out.write("# EOF\n")
            }
        }
    }

    /// Appends `families` in `format` without OpenMetrics' closing `# EOF`; returns where each family's text
    /// starts in `out`, so a caller can splice other families in between (the store's cached text).
    @discardableResult
    package static func renderFamilies(_ families: [FamilySnapshot], format: ExpositionFormat, into out: inout [UInt8])
        -> [Int]
    {
        var starts: [Int] = []
        starts.reserveCapacity(families.count)
        let base = out.count
        ByteWriter.appending(to: &out, bound: upperBound(ExpositionSnapshot(families: families))) { out in
            for family in families {
                starts.append(base + out.position)
                switch format {
                case .text: renderText(family, into: &out)
                case .openMetrics: renderOpenMetrics(family, into: &out)
                }
            }
        }
        return starts
    }

    /// Appends OpenMetrics' closing `# EOF` line (the text format has none).
    package static func finish(_ format: ExpositionFormat, into out: inout [UInt8]) {
        if format == .openMetrics { out.append(contentsOf: "# EOF\n".utf8) }
    }

    /// Renders `snapshot` into a new buffer.
    package static func render(_ snapshot: ExpositionSnapshot, format: ExpositionFormat) -> [UInt8] {
        var out: [UInt8] = []
        render(snapshot, format: format, into: &out)
        return out
    }

    /// The most bytes `render` can write for `snapshot` in either format; the buffer is sized to it.
    private static func upperBound(_ snapshot: ExpositionSnapshot) -> Int {
        var size = 16
        // Per series: a space, a value, a space, a timestamp, a newline.
        let line = 3 + 2 * ExpositionNumbers.maxFloatLength
        for family in snapshot.families {
            // Header names are the family name plus a suffix, or a sample name.
            var name = family.name.utf8.count + 16
            for series in family.series { name = max(name, series.nameLength) }
            let header = 2 * name + 2 * (family.help?.utf8.count ?? 0) + 48
            // Up to four headers in the text format (main, `_created`, `_gsum`, `_gcount`), plus `# UNIT`.
            size += 4 * header + name + (family.unit?.utf8.count ?? 0) + 16
            size += family.labelText.count + family.series.count * line
        }
        return size
    }

    // MARK: - Text format 0.0.4

    private static func renderText(_ family: FamilySnapshot, into out: inout ByteWriter) {
        family.labelText.withUnsafeBufferPointer { text in
            family.series.withUnsafeBufferPointer { series in
                var firstMain: Int?
                var hasSeparate = false
                for index in series.indices {
                    if series[index].separateInText {
                        hasSeparate = true
                    } else if firstMain == nil {
                        firstMain = index
                    }
                }
                if let firstMain {
                    writeTextFamilyName(family, text: text, firstMain: series[firstMain], into: &out)
                    for index in series.indices where !series[index].separateInText {
                        writeTextSample(series[index], text: text, into: &out)
                    }
                }
                if hasSeparate { renderSeparated(family, text: text, series: series, into: &out) }
            }
        }
    }

    private static func writeTextFamilyName(
        _ family: FamilySnapshot, text: UnsafeBufferPointer<UInt8>, firstMain: SeriesSnapshot,
        into out: inout ByteWriter
    ) {
        let nameStart = firstMain.prefix.lowerBound
        let writeName = { (out: inout ByteWriter) in
            switch family.type {
            // A counter is named as its samples are (`x_total`, or `x` in older expositions).
            case .counter: out.write(text, nameStart..<(nameStart + firstMain.nameLength))
            case .info: out.write(family.name + "_info")
            default: out.write(family.name)
            }
        }
        writeTextHeader(name: writeName, help: family.help, type: textType(family.type), into: &out)
    }

    /// `_created`, `_gsum`, `_gcount` become gauges of their own, as prometheus_client writes them.
    private static func renderSeparated(
        _ family: FamilySnapshot, text: UnsafeBufferPointer<UInt8>, series: UnsafeBufferPointer<SeriesSnapshot>,
        into out: inout ByteWriter
    ) {
        var names: [String] = []
        for index in series.indices where series[index].separateInText {
            let name = family.sampleName(of: series[index])
            if !names.contains(name) { names.append(name) }
        }
        for name in names {
            writeTextHeader(name: { $0.write(name) }, help: family.help, type: "gauge", into: &out)
            for index in series.indices
            where series[index].separateInText && family.sampleName(of: series[index]) == name {
                writeTextSample(series[index], text: text, into: &out)
            }
        }
    }

    private static func textType(_ type: MetricType) -> String {
        switch type {
        case .counter: "counter"
        case .gauge, .stateset, .info: "gauge"
        case .histogram, .gaugehistogram: "histogram"
        case .summary: "summary"
        case .untyped, .unknown: "untyped"
        }
    }

    private static func writeTextHeader(
        name: (inout ByteWriter) -> Void, help: String?, type: String, into out: inout ByteWriter
    ) {
        if let help {
            out.write("# HELP ")
            name(&out)
            out.write(UInt8(ascii: " "))
            writeEscaped(help, quotes: false, to: &out)
            out.write(UInt8(ascii: "\n"))
        }
        out.write("# TYPE ")
        name(&out)
        out.write(UInt8(ascii: " "))
        out.write(type)
        out.write(UInt8(ascii: "\n"))
    }

    @inline(__always)
    private static func writeTextSample(
        _ series: SeriesSnapshot, text: UnsafeBufferPointer<UInt8>, into out: inout ByteWriter
    ) {
        out.write(text, series.prefix)
        out.write(UInt8(ascii: " "))
        ExpositionNumbers.writeTextFloat(series.value, to: &out)
        if let timestamp = series.timestamp {
            out.write(UInt8(ascii: " "))
            ExpositionNumbers.writeInteger(timestamp, to: &out)
        }
        out.write(UInt8(ascii: "\n"))
    }

    // MARK: - OpenMetrics 1.0.0

    private static func renderOpenMetrics(_ family: FamilySnapshot, into out: inout ByteWriter) {
        if let help = family.help {
            out.write("# HELP ")
            out.write(family.name)
            out.write(UInt8(ascii: " "))
            writeEscaped(help, quotes: true, to: &out)
            out.write(UInt8(ascii: "\n"))
        }
        out.write("# TYPE ")
        out.write(family.name)
        out.write(UInt8(ascii: " "))
        out.write(family.type == .untyped ? "unknown" : family.type.rawValue)
        out.write(UInt8(ascii: "\n"))
        // OpenMetrics requires a unit to be the name's last component; one that is not is left out.
        if let unit = family.unit, !unit.isEmpty, family.name.hasSuffix("_" + unit) {
            out.write("# UNIT ")
            out.write(family.name)
            out.write(UInt8(ascii: " "))
            out.write(unit)
            out.write(UInt8(ascii: "\n"))
        }
        family.labelText.withUnsafeBufferPointer { text in
            family.series.withUnsafeBufferPointer { series in
                for index in series.indices {
                    out.write(text, series[index].openMetricsPrefix ?? series[index].prefix)
                    out.write(UInt8(ascii: " "))
                    ExpositionNumbers.writeOpenMetricsFloat(series[index].value, to: &out)
                    if let timestamp = series[index].timestamp {
                        out.write(UInt8(ascii: " "))
                        ExpositionNumbers.writeOpenMetricsTimestamp(milliseconds: timestamp, to: &out)
                    }
                    out.write(UInt8(ascii: "\n"))
                }
            }
        }
    }

    // MARK: - Escaping

    /// HELP text: `\\` and `\n` always, `\"` too in OpenMetrics.
    private static func writeEscaped(_ text: String, quotes: Bool, to out: inout ByteWriter) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out.write(UInt8(ascii: "\\"), UInt8(ascii: "\\"))
            case UInt8(ascii: "\n"): out.write(UInt8(ascii: "\\"), UInt8(ascii: "n"))
            case UInt8(ascii: "\"") where quotes: out.write(UInt8(ascii: "\\"), UInt8(ascii: "\""))
            default: out.write(byte)
            }
        }
    }
}
