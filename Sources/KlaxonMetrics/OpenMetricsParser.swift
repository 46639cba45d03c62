/// Parser for the OpenMetrics 1.0.0 text format (`application/openmetrics-text; version=1.0.0`).
///
/// Applies the grammar strictly (single spaces, no blank lines, `# EOF` last) and the semantic
/// rules of the reference parser: metadata before samples, one family per name without clashes
/// between generated names, the sample suffixes each type allows, counter-like values neither
/// negative nor NaN, histogram buckets ordered with `+Inf` present, exemplars only on counters and
/// buckets with at most 128 characters of labels, and per-series timestamps that never go back.
/// Timestamps are seconds in the format and come back as milliseconds.
package struct OpenMetricsParser: Sendable {
    /// Bodies larger than this many bytes are refused.
    package var sizeLimit: Int

    /// Makes a parser with a body size limit.
    package init(sizeLimit: Int = TextFormatParser.defaultSizeLimit) {
        self.sizeLimit = sizeLimit
    }

    /// Parses a whole exposition body into its metric families, in input order.
    package func parse(_ bytes: [UInt8]) throws(TextFormatParseError) -> [ParsedFamily] {
        try bytes.withUnsafeBufferPointer { (buffer) throws(TextFormatParseError) -> [ParsedFamily] in
            try parse(buffer)
        }
    }

    /// Parses a whole exposition body into its metric families, reading the caller's buffer in place.
    package func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(TextFormatParseError) -> [ParsedFamily] {
        guard bytes.count <= sizeLimit else { throw TextFormatParseError.tooLarge(bytes, limit: sizeLimit) }
        var state = OpenMetricsParserState(bytes)
        try state.run()
        return state.families
    }
}

/// The mutable core of one `OpenMetricsParser.parse` call.
struct OpenMetricsParserState {
    var cursor: TextFormatCursor
    var families: [ParsedFamily] = []
    /// Index of the family being read, -1 before the first.
    var current = -1
    var hasHelp = false
    var hasType = false
    var hasUnit = false
    /// Every name earlier families own (their own name and the sample names their type produces).
    var reserved: Set<String> = []
    /// The metric point being read and the ones of this family already finished.
    var groupKey: Labels?
    var group = OpenMetricsGroup()
    var closedGroups: Set<Labels> = []
    /// The previous sample, to keep one series' timestamps in order.
    var previous: (name: String, labels: Labels, timestamp: Double?)?
    var labels: [Label] = []
    /// Where the current line's exemplar starts, for errors about it.
    var exemplarOffset = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        cursor = TextFormatCursor(bytes)
        labels.reserveCapacity(16)
    }

    mutating func run() throws(TextFormatParseError) {
        var next = 0
        var sawEOF = false
        while cursor.beginLine(at: next) {
            next = cursor.lineEnd + 1
            if sawEOF { throw cursor.error("text after \"# EOF\"; it must be the last line") }
            if cursor.atLineEnd { throw cursor.error("blank line; OpenMetrics allows none") }
            if cursor.current == UInt8(ascii: "#") {
                sawEOF = try metadataLine()
            } else {
                try sampleLine()
            }
            if !cursor.lineHasNewline && !sawEOF {
                throw cursor.error(
                    "unexpected end of input: the exposition must end with \"# EOF\"", at: cursor.lineEnd)
            }
        }
        if !sawEOF { throw cursor.error("missing \"# EOF\" at the end of the exposition", at: cursor.bytes.count) }
        try finishFamily()
    }

    // MARK: - Metadata lines

    /// `# HELP`, `# TYPE`, `# UNIT` or `# EOF`; returns whether it was `# EOF`.
    private mutating func metadataLine() throws(TextFormatParseError) -> Bool {
        let bytes = cursor.bytes
        let start = cursor.position
        let length = cursor.lineEnd - start
        func keyword(_ word: StaticString) -> Bool {
            guard length >= word.utf8CodeUnitCount else { return false }
            for offset in 0..<word.utf8CodeUnitCount where bytes[start + offset] != word.utf8Start[offset] {
                return false
            }
            return true
        }
        if length == 5 && keyword("# EOF") { return true }
        let kind: OpenMetricsMetadata
        if keyword("# HELP ") {
            kind = .help
        } else if keyword("# TYPE ") {
            kind = .type
        } else if keyword("# UNIT ") {
            kind = .unit
        } else {
            throw cursor.error(
                "unknown line starting with '#'; allowed are \"# HELP\", \"# TYPE\", \"# UNIT\" and \"# EOF\"")
        }
        cursor.position += 7
        let nameStart = cursor.readLegacyName(allowColon: true)
        guard cursor.position > nameStart, let name = cursor.string(nameStart, cursor.position, slot: 0) else {
            throw cursor.error("invalid metric name in metadata; a name is [a-zA-Z_:][a-zA-Z0-9_:]*")
        }
        guard cursor.consume(UInt8(ascii: " ")) else {
            throw cursor.error("expected a single space after the metric name \"\(name)\" in metadata")
        }
        try metadata(kind, for: name, at: nameStart)
        let textStart = cursor.position
        switch kind {
        case .help:
            let help = try cursor.readHelp(escapes: .lenient)
            families[current].help = help
        case .type:
            let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[textStart..<cursor.lineEnd]), as: UTF8.self)
            guard let type = MetricType(rawValue: word), type != .untyped else {
                throw cursor.error(
                    "unknown metric type \"\(word)\"; allowed are counter, gauge, histogram, gaugehistogram, "
                        + "stateset, info, summary, unknown")
            }
            try setType(type, at: textStart)
        case .unit:
            let unitStart = cursor.readLegacyName(allowColon: true)
            guard cursor.atLineEnd, let unit = cursor.string(unitStart, cursor.position, slot: 1) else {
                throw cursor.error("invalid unit; a unit is [a-zA-Z0-9_:]* with nothing after it")
            }
            try setUnit(unit, at: unitStart)
        }
        return false
    }

    // MARK: - Sample lines

    /// `name{labels} value [timestamp] [# {labels} value [timestamp]]`, single spaces only.
    private mutating func sampleLine() throws(TextFormatParseError) {
        let nameStart = cursor.readLegacyName(allowColon: true)
        guard cursor.position > nameStart, let name = cursor.string(nameStart, cursor.position, slot: 0) else {
            throw cursor.error("invalid metric name; a name is [a-zA-Z_:][a-zA-Z0-9_:]*")
        }
        var sampleLabels = Labels.empty
        if cursor.consume(UInt8(ascii: "{")) { sampleLabels = try labelSet(slotBase: 1) }
        guard cursor.consume(UInt8(ascii: " ")) else { throw cursor.error("expected a single space before the value") }
        let valueStart = cursor.position
        let value = try number("value")
        var timestamp: Double?
        var exemplar: Exemplar?
        if cursor.consume(UInt8(ascii: " ")) {
            if cursor.current != UInt8(ascii: "#") {
                timestamp = try self.timestamp()
                if cursor.consume(UInt8(ascii: " ")) { exemplar = try self.exemplar() }
            } else {
                exemplar = try self.exemplar()
            }
        }
        guard cursor.atLineEnd else { throw cursor.error("unexpected text after the sample") }
        let sample = ParsedSample(
            name: name, labels: sampleLabels, value: value,
            timestamp: timestamp.map(TextFormatNumbers.milliseconds(fromSeconds:)), exemplar: exemplar)
        try accept(sample, seconds: timestamp, at: nameStart, valueAt: valueStart)
    }

    /// A value token up to the next space or the line end.
    private mutating func number(_ what: String) throws(TextFormatParseError) -> Double {
        let start = cursor.position
        while !cursor.atLineEnd && cursor.current != UInt8(ascii: " ") { cursor.position += 1 }
        guard let value = TextFormatNumbers.parseFloat(cursor.bytes, start, cursor.position, .python) else {
            throw cursor.error("invalid \(what); expected a decimal number, +Inf, -Inf or NaN", at: start)
        }
        return value
    }

    /// A timestamp in seconds: a finite decimal number.
    private mutating func timestamp() throws(TextFormatParseError) -> Double {
        let start = cursor.position
        let seconds = try number("timestamp")
        guard seconds.isFinite else {
            throw cursor.error("invalid timestamp; it must be a finite number of seconds", at: start)
        }
        return seconds
    }

    /// `# {labels} value [timestamp]` after a sample, at the `#`.
    private mutating func exemplar() throws(TextFormatParseError) -> Exemplar {
        exemplarOffset = cursor.position
        guard cursor.consume(UInt8(ascii: "#")), cursor.consume(UInt8(ascii: " ")), cursor.consume(UInt8(ascii: "{"))
        else { throw cursor.error("invalid exemplar; expected \" # {labels} value [timestamp]\"") }
        let labelsStart = cursor.position
        let exemplarLabels = try labelSet(slotBase: 33)
        let characters = exemplarLabels.reduce(0) { $0 + $1.name.unicodeScalars.count + $1.value.unicodeScalars.count }
        guard characters <= 128 else {
            throw cursor.error(
                "exemplar labels have \(characters) characters; at most 128 are allowed", at: labelsStart)
        }
        guard cursor.consume(UInt8(ascii: " ")) else {
            throw cursor.error("expected a single space before the exemplar value")
        }
        let value = try number("exemplar value")
        var timestamp: Double?
        if cursor.consume(UInt8(ascii: " ")) { timestamp = try self.timestamp() }
        return Exemplar(labels: exemplarLabels, value: value, timestamp: timestamp)
    }

    /// Labels after `{` up to and including `}`: `name="value"` pairs separated by single commas.
    private mutating func labelSet(slotBase: Int) throws(TextFormatParseError) -> Labels {
        labels.removeAll(keepingCapacity: true)
        if cursor.consume(UInt8(ascii: "}")) { return .empty }
        while true {
            let nameStart = cursor.readLegacyName(allowColon: false)
            let slot = slotBase + 2 * labels.count
            guard cursor.position > nameStart, let name = cursor.string(nameStart, cursor.position, slot: slot) else {
                throw cursor.error("invalid label name; a label name is [a-zA-Z_][a-zA-Z0-9_]*")
            }
            guard cursor.consume(UInt8(ascii: "=")) else {
                throw cursor.error("expected '=' after label name \"\(name)\"")
            }
            guard cursor.current == UInt8(ascii: "\"") else {
                throw cursor.error("expected '\"' at start of label value")
            }
            let value = try cursor.readQuoted("label value", escapes: .lenient, slot: slot + 1)
            for earlier in labels where earlier.name == name {
                throw cursor.error("duplicate label name \"\(name)\"", at: nameStart)
            }
            labels.append(Label(name, value))
            if cursor.consume(UInt8(ascii: ",")) { continue }
            if cursor.consume(UInt8(ascii: "}")) { break }
            throw cursor.error("expected ',' or '}' after the label value")
        }
        var pairs = labels
        pairs.removeAll { $0.value.isEmpty }
        pairs.sort { $0.name < $1.name }
        return Labels(sortedUnchecked: pairs)
    }
}

/// Which metadata line is being read.
enum OpenMetricsMetadata {
    case help, type, unit
}
