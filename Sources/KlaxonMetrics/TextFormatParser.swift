/// Parser for the Prometheus text exposition format 0.0.4, as prometheus/common `expfmt` reads it.
///
/// Accepts what `expfmt.TextParser` accepts (including the quoted UTF-8 names of
/// `{"my.metric", "label.name"="v"}` unless `nameValidation` is `.legacy`) and refuses the rest
/// with a line and column. Families come back in the order their names first appear; families
/// that end up without samples (a lone `# HELP`) are dropped, as expfmt drops them. Samples of
/// a family need not be contiguous: expfmt merges them, and so does this parser. Lines of a summary
/// or histogram family that expfmt cannot file (a summary line without `quantile`, a `_bucket` without
/// `le`) are dropped as expfmt drops them.
package struct TextFormatParser: Sendable {
    /// Which metric and label names are allowed.
    package enum NameValidation: Sendable {
        /// Any UTF-8 name, written in quotes when it is not a legacy name (prometheus/common today).
        case utf8
        /// Only `[a-zA-Z_:][a-zA-Z0-9_:]*` metric names and `[a-zA-Z_][a-zA-Z0-9_]*` label names.
        case legacy
    }

    /// The default body size limit: 16 MiB.
    package static let defaultSizeLimit = 16 << 20

    /// Bodies larger than this many bytes are refused.
    package var sizeLimit: Int
    /// Which names are allowed.
    package var nameValidation: NameValidation
    /// Labels set on every sample once read, replacing a label of the same name (an empty value
    /// removes it; of two with one name the later wins). Pushgateway's grouping labels are set this
    /// way, so a pushed sample's label set is built once.
    package var labelOverrides: [Label]

    /// Makes a parser with a body size limit, a name validation scheme and labels to set on every sample.
    package init(
        sizeLimit: Int = TextFormatParser.defaultSizeLimit, nameValidation: NameValidation = .utf8,
        labelOverrides: [Label] = []
    ) {
        self.sizeLimit = sizeLimit
        self.nameValidation = nameValidation
        self.labelOverrides = labelOverrides
    }

    /// Parses a whole exposition body into its metric families.
    package func parse(_ bytes: [UInt8]) throws(TextFormatParseError) -> [ParsedFamily] {
        try bytes.withUnsafeBufferPointer { (buffer) throws(TextFormatParseError) -> [ParsedFamily] in
            try parse(buffer)
        }
    }

    /// Parses a whole exposition body into its metric families, reading the caller's buffer in place.
    package func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(TextFormatParseError) -> [ParsedFamily] {
        guard bytes.count <= sizeLimit else { throw TextFormatParseError.tooLarge(bytes, limit: sizeLimit) }
        var state = TextFormatParserState(
            bytes, legacyNames: nameValidation == .legacy, labelOverrides: Labels.sortedUnique(labelOverrides))
        try state.run()
        return state.families.filter { !$0.samples.isEmpty }
    }
}

/// The mutable core of one `TextFormatParser.parse` call.
struct TextFormatParserState {
    /// What a sample line is within its family.
    enum Role {
        case plain, bucket, count, sum
    }

    var cursor: TextFormatCursor
    let legacyNames: Bool
    let labelOverrides: [Label]
    var families: [ParsedFamily] = []
    /// Whether each family's type is fixed (by `# TYPE` or by its first sample).
    var typeFixed: [Bool] = []
    var helpSet: [Bool] = []
    var indexByName: [String: Int] = [:]
    /// The last sample name and where it went, since consecutive lines usually share it.
    var lastName = ""
    var lastFamily = -1
    var lastRole = Role.plain
    /// Labels of the line being read, with the offset of each value for error positions.
    var labels: [Label] = []
    var labelOffsets: [Int] = []

    init(_ bytes: UnsafeBufferPointer<UInt8>, legacyNames: Bool, labelOverrides: [Label] = []) {
        cursor = TextFormatCursor(bytes)
        self.legacyNames = legacyNames
        self.labelOverrides = labelOverrides
        labels.reserveCapacity(16)
        labelOffsets.reserveCapacity(16)
    }

    mutating func run() throws(TextFormatParseError) {
        var next = 0
        while cursor.beginLine(at: next) {
            next = cursor.lineEnd + 1
            cursor.skipBlanks()
            // expfmt stops cleanly only at the start of a line, so trailing blanks without a new-line are fine.
            if cursor.atLineEnd { continue }
            if cursor.current == UInt8(ascii: "#") {
                try comment()
            } else {
                try sampleLine()
            }
            if !cursor.lineHasNewline {
                throw cursor.error(
                    "unexpected end of input: the last line must end with a new-line", at: cursor.lineEnd)
            }
        }
    }

    // MARK: - Families

    /// The family named exactly `name`, created (without a type) when new.
    mutating func family(named name: String) -> Int {
        if let index = indexByName[name] { return index }
        families.append(ParsedFamily(name: name))
        typeFixed.append(false)
        helpSet.append(false)
        indexByName[name] = families.count - 1
        return families.count - 1
    }

    /// Where a sample named `name` goes: its own family, or the summary/histogram its suffix belongs to.
    mutating func resolve(_ name: String) -> (family: Int, role: Role) {
        if lastFamily >= 0 && name == lastName { return (lastFamily, lastRole) }
        var result: (family: Int, role: Role)
        if let index = indexByName[name] {
            result = (index, .plain)
        } else if let suffixed = suffixedFamily(name) {
            result = suffixed
        } else {
            result = (family(named: name), .plain)
        }
        lastName = name
        lastFamily = result.family
        lastRole = result.role
        return result
    }

    private func suffixedFamily(_ name: String) -> (family: Int, role: Role)? {
        let candidates: [(String, Role)] = [("_bucket", .bucket), ("_count", .count), ("_sum", .sum)]
        for (suffix, role) in candidates where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            guard let index = indexByName[base] else { continue }
            switch families[index].type {
            case .summary where role != .bucket: return (index, role)
            case .histogram, .gaugehistogram: return (index, role)
            default: continue
            }
        }
        return nil
    }

    // MARK: - Comments

    /// `# HELP name text`, `# TYPE name type`; any other comment is ignored.
    mutating func comment() throws(TextFormatParseError) {
        cursor.position += 1
        cursor.skipBlanks()
        let keywordStart = cursor.readToken()
        let keyword = String(
            decoding: UnsafeBufferPointer(rebasing: cursor.bytes[keywordStart..<cursor.position]), as: UTF8.self)
        guard keyword == "HELP" || keyword == "TYPE" else { return }
        cursor.skipBlanks()
        if cursor.atLineEnd { return }
        let name = try metricNameInComment()
        let index = family(named: name)
        // A new family may now own a name that the sample cache sent elsewhere.
        lastFamily = -1
        cursor.skipBlanks()
        if cursor.atLineEnd { return }
        if keyword == "HELP" {
            try help(for: index)
        } else {
            try type(for: index)
        }
    }

    private mutating func metricNameInComment() throws(TextFormatParseError) -> String {
        let start = cursor.position
        let name: String
        if cursor.current == UInt8(ascii: "\"") {
            name = try cursor.readQuoted("metric name", escapes: .strict, slot: 0)
            try checkQuotedName(name, metric: true, at: start)
        } else {
            let nameStart = cursor.readLegacyName(allowColon: true)
            guard cursor.position > nameStart, let text = cursor.string(nameStart, cursor.position, slot: 0) else {
                throw cursor.error("invalid metric name in comment; a name is [a-zA-Z_:][a-zA-Z0-9_:]* or quoted")
            }
            name = text
        }
        let next = cursor.current
        guard next == UInt8(ascii: " ") || next == UInt8(ascii: "\t") || next == UInt8(ascii: "\n") else {
            throw cursor.error("invalid metric name in comment; a name is [a-zA-Z_:][a-zA-Z0-9_:]* or quoted")
        }
        return name
    }

    private mutating func help(for index: Int) throws(TextFormatParseError) {
        guard !helpSet[index] else {
            throw cursor.error("second HELP line for metric name \"\(families[index].name)\"; a family has at most one")
        }
        let text = try cursor.readHelp(escapes: .strict)
        families[index].help = text
        helpSet[index] = true
    }

    private mutating func type(for index: Int) throws(TextFormatParseError) {
        // expfmt takes the rest of the line as the type, so trailing blanks make it unknown.
        let start = cursor.position
        let word = String(decoding: UnsafeBufferPointer(rebasing: cursor.bytes[start..<cursor.lineEnd]), as: UTF8.self)
        cursor.position = cursor.lineEnd
        guard let type = TextFormatParserState.types[word.lowercased()] else {
            throw cursor.error(
                "unknown metric type \"\(word)\"; allowed are counter, gauge, histogram, gaugehistogram, "
                    + "summary, untyped",
                at: start)
        }
        guard !typeFixed[index] && families[index].samples.isEmpty else {
            throw cursor.error(
                "second TYPE line for metric name \"\(families[index].name)\", or TYPE reported after samples",
                at: start)
        }
        families[index].type = type
        typeFixed[index] = true
    }

    static let types: [String: MetricType] = [
        "counter": .counter, "gauge": .gauge, "histogram": .histogram, "summary": .summary,
        "untyped": .untyped, "gauge_histogram": .gaugehistogram, "gaugehistogram": .gaugehistogram,
    ]

    /// Applies the legacy rules to a quoted name when they are in force; an empty name is never valid.
    func checkQuotedName(_ name: String, metric: Bool, at offset: Int) throws(TextFormatParseError) {
        let what = metric ? "metric" : "label"
        guard !name.isEmpty else { throw cursor.error("empty \(what) name", at: offset) }
        guard legacyNames else { return }
        let valid = metric ? MetricNames.isValidMetricName(name) : MetricNames.isValidLabelName(name)
        guard valid else {
            throw cursor.error(
                "invalid \(what) name \"\(name)\" under legacy validation; allowed is "
                    + (metric ? "[a-zA-Z_:][a-zA-Z0-9_:]*" : "[a-zA-Z_][a-zA-Z0-9_]*"),
                at: offset)
        }
    }
}
