/// Renders snapshots into exposition bytes; the hot path behind `/metrics`.
///
/// Each series' label text was rendered once when the series was created; here only the value
/// (and the rare timestamp) is formatted per series, straight into the output buffer.
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

    /// Renders `snapshot` into a new buffer.
    package static func render(_ snapshot: ExpositionSnapshot, format: ExpositionFormat) -> [UInt8] {
        var out: [UInt8] = []
        render(snapshot, format: format, into: &out)
        return out
    }

    /// The most bytes `render` can write for `snapshot` in either format; the buffer is sized to it.
    private static func upperBound(_ snapshot: ExpositionSnapshot) -> Int {
        var size = 16
        let line = 3 + 2 * ExpositionNumbers.maxFloatLength
        for family in snapshot.families {
            // Headers name the family, a suffixed family name, or a sample name.
            var name = family.name.utf8.count + 16
            for series in family.series {
                name = max(name, series.name.utf8.count)
                size += max(series.prefix.count, series.openMetricsPrefix?.count ?? 0) + line
            }
            let header = 2 * name + 2 * (family.help?.utf8.count ?? 0) + 48
            // Up to four headers in the text format (main, `_created`, `_gsum`, `_gcount`), plus `# UNIT`.
            size += 4 * header + name + (family.unit?.utf8.count ?? 0) + 16
        }
        return size
    }

    // MARK: - Text format 0.0.4

    private static func renderText(_ family: FamilySnapshot, into out: inout ByteWriter) {
        let name: String
        switch family.type {
        case .counter: name = family.series.first(where: { !$0.separateInText })?.name ?? family.name + "_total"
        case .info: name = family.name + "_info"
        default: name = family.name
        }
        var hasSeparate = false
        var hasMain = false
        for series in family.series {
            if series.separateInText { hasSeparate = true } else { hasMain = true }
        }
        if hasMain {
            writeTextHeader(name: name, help: family.help, type: textType(family.type), into: &out)
            for series in family.series where !series.separateInText { writeTextSample(series, into: &out) }
        }
        guard hasSeparate else { return }
        // `_created`, `_gsum`, `_gcount` become gauges of their own, as prometheus_client writes them.
        var separateNames: [String] = []
        for series in family.series where series.separateInText && !separateNames.contains(series.name) {
            separateNames.append(series.name)
        }
        for separateName in separateNames {
            writeTextHeader(name: separateName, help: family.help, type: "gauge", into: &out)
            for series in family.series where series.separateInText && series.name == separateName {
                writeTextSample(series, into: &out)
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

    private static func writeTextHeader(name: String, help: String?, type: String, into out: inout ByteWriter) {
        if let help {
            out.write("# HELP ")
            out.write(name)
            out.write(UInt8(ascii: " "))
            appendEscaped(help, quotes: false, to: &out)
            out.write(UInt8(ascii: "\n"))
        }
        out.write("# TYPE ")
        out.write(name)
        out.write(UInt8(ascii: " "))
        out.write(type)
        out.write(UInt8(ascii: "\n"))
    }

    @inline(__always)
    private static func writeTextSample(_ series: SeriesSnapshot, into out: inout ByteWriter) {
        out.write(series.prefix)
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
            appendEscaped(help, quotes: true, to: &out)
            out.write(UInt8(ascii: "\n"))
        }
        out.write("# TYPE ")
        out.write(family.name)
        out.write(UInt8(ascii: " "))
        out.write((family.type == .untyped ? "unknown" : family.type.rawValue))
        out.write(UInt8(ascii: "\n"))
        // OpenMetrics requires a unit to be the name's last component; one that is not is left out.
        if let unit = family.unit, !unit.isEmpty, family.name.hasSuffix("_" + unit) {
            out.write("# UNIT ")
            out.write(family.name)
            out.write(UInt8(ascii: " "))
            out.write(unit)
            out.write(UInt8(ascii: "\n"))
        }
        for series in family.series {
            out.write(series.openMetricsPrefix ?? series.prefix)
            out.write(UInt8(ascii: " "))
            ExpositionNumbers.writeOpenMetricsFloat(series.value, to: &out)
            if let timestamp = series.timestamp {
                out.write(UInt8(ascii: " "))
                ExpositionNumbers.writeOpenMetricsTimestamp(milliseconds: timestamp, to: &out)
            }
            out.write(UInt8(ascii: "\n"))
        }
    }

    // MARK: - Escaping

    /// HELP text: `\\` and `\n` always, `\"` too in OpenMetrics.
    private static func appendEscaped(_ text: String, quotes: Bool, to out: inout ByteWriter) {
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
