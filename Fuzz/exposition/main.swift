import KlaxonMetrics

/// Fills a store the ways production does and checks that `/metrics` reads back as the store
/// holds it. The first byte picks the source: the rest as a text-format push (0.0.4), as an
/// OpenMetrics scrape, or as choices building gauge, counter and untyped families (what the JSON
/// push API makes) with label values of any UTF-8, any float bit pattern and any timestamp,
/// replaced, appended and deleted by several owners. Both formats are rendered and parsed back:
/// every live series must return with its value and timestamp, nothing more. The writer sizes
/// its buffer up front, so AddressSanitizer also checks that bound.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    guard let mode = bytes.first else { return 0 }
    let rest = UnsafeBufferPointer(rebasing: bytes.dropFirst())
    let store = SeriesStore()
    var fromOpenMetrics = false
    switch mode % 3 {
    case 0:
        guard let families = try? TextFormatParser(sizeLimit: 1 << 16).parse(rest) else { return 0 }
        try? store.replace(owner: .pushGroup(Labels(["job": "a"])), with: families, now: 1_000)
    case 1:
        guard let families = try? OpenMetricsParser(sizeLimit: 1 << 16).parse(rest) else { return 0 }
        try? store.replace(owner: .scrapeTarget("t"), with: families, now: 1_000)
        fromOpenMetrics = true
    default:
        var input = FuzzInput(rest)
        let owners: [SeriesOwner] = [
            .pushGroup(Labels(["job": "a"])), .scrapeTarget("t"), .ruleGroup("r"), .internal("i"),
        ]
        var now: Int64 = 1_000
        for _ in 0..<Int(input.byte() % 4 + 1) {
            let owner = owners[Int(input.byte()) % owners.count]
            let families = input.families()
            now += Int64(input.byte())
            switch input.byte() % 4 {
            case 0: try? store.replace(owner: owner, with: families, now: now)
            case 1: try? store.replaceFamilies(owner: owner, with: families, now: now)
            case 2: try? store.append(owner: owner, families, now: now)
            default: store.delete(owner: owner, now: now)
            }
        }
    }
    let snapshot = store.snapshot()
    checkText(snapshot)
    checkOpenMetrics(snapshot, whole: fromOpenMetrics)
    return 0
}

// MARK: - Oracles

/// One live series as the snapshot holds it, keyed by its `name{labels}` text.
private struct Expected: Equatable {
    var value: Double
    var timestamp: Int64?

    static func == (lhs: Expected, rhs: Expected) -> Bool {
        // Numerically equal: the writer prints -0 as 0, which reads back equal (Go would print -0).
        let sameValue = lhs.value == rhs.value || (lhs.value.isNaN && rhs.value.isNaN)
        return sameValue && lhs.timestamp == rhs.timestamp
    }
}

private func expected(_ snapshot: ExpositionSnapshot, openMetrics: Bool) -> [String: Expected] {
    var out: [String: Expected] = [:]
    for family in snapshot.families {
        for series in family.series {
            let range = openMetrics ? (series.openMetricsPrefix ?? series.prefix) : series.prefix
            let key = String(decoding: family.labelText[range], as: UTF8.self)
            if out.updateValue(Expected(value: series.value, timestamp: series.timestamp), forKey: key) != nil {
                fatalError("series \(key) is in the snapshot twice")
            }
        }
    }
    return out
}

private func parsedBack(_ families: [ParsedFamily], text: String) -> [String: Expected] {
    var out: [String: Expected] = [:]
    for family in families {
        for sample in family.samples {
            let key = String(decoding: SeriesPrefix.render(name: sample.name, labels: sample.labels), as: UTF8.self)
            let value = Expected(value: sample.value, timestamp: sample.timestamp)
            if out.updateValue(value, forKey: key) != nil {
                fatalError("series \(key) is in the exposition twice:\n\(text)")
            }
        }
    }
    return out
}

private func checkText(_ snapshot: ExpositionSnapshot) {
    let bytes = ExpositionWriter.render(snapshot, format: .text)
    let text = String(decoding: bytes, as: UTF8.self)
    let families: [ParsedFamily]
    do {
        families = try TextFormatParser(sizeLimit: Int.max, nameValidation: .utf8).parse(bytes)
    } catch {
        fatalError("the text format written does not parse: \(error)\n\(text)")
    }
    let want = expected(snapshot, openMetrics: false)
    let got = parsedBack(families, text: text)
    if got != want { fatalError("text format read back differs:\nwant \(want)\ngot  \(got)\n\(text)") }
}

/// The store takes what text format 0.0.4 carries, and some of that OpenMetrics cannot express
/// (a negative counter, a histogram without `+Inf`, a gauge sample named `x_total`): the strict
/// OpenMetrics parser refuses those, by design. The round trip therefore covers the families
/// OpenMetrics can always carry: gauges and unknowns named as their family, and counters'
/// non-negative `_total` samples. Everything else is still rendered (ASan checks the buffer bound).
private func expressibleInOpenMetrics(_ snapshot: ExpositionSnapshot) -> ExpositionSnapshot {
    var kept: [FamilySnapshot] = []
    for family in snapshot.families {
        var subset = FamilySnapshot(name: family.name, type: family.type, help: family.help, unit: family.unit)
        for series in family.series {
            let name = family.sampleName(of: series)
            let fits =
                switch family.type {
                case .gauge, .untyped, .unknown: name == family.name
                // A bare `x` sample of a counter is written as `x_total` too, so it could repeat one.
                case .counter: name == family.name + "_total" && series.value >= 0
                default: false
                }
            guard fits else { continue }
            subset.append(
                prefix: Array(family.labelText[series.prefix]),
                openMetricsPrefix: series.openMetricsPrefix.map { Array(family.labelText[$0]) },
                nameLength: series.nameLength, separateInText: series.separateInText, value: series.value,
                timestamp: series.timestamp)
        }
        if !subset.series.isEmpty { kept.append(subset) }
    }
    return ExpositionSnapshot(families: kept)
}

/// `whole`: the store was filled from OpenMetrics, so all of it must be valid OpenMetrics again.
private func checkOpenMetrics(_ stored: ExpositionSnapshot, whole: Bool) {
    _ = ExpositionWriter.render(stored, format: .openMetrics)
    let snapshot = whole ? stored : expressibleInOpenMetrics(stored)
    let bytes = ExpositionWriter.render(snapshot, format: .openMetrics)
    let text = String(decoding: bytes, as: UTF8.self)
    let families: [ParsedFamily]
    do {
        families = try OpenMetricsParser(sizeLimit: Int.max).parse(bytes)
    } catch {
        fatalError("the OpenMetrics text written does not parse: \(error)\n\(text)")
    }
    var want = expected(snapshot, openMetrics: true)
    var got = parsedBack(families, text: text)
    // OpenMetrics timestamps are seconds; beyond 2^53 ms a double cannot carry every millisecond.
    for (key, value) in want where (value.timestamp?.magnitude ?? 0) > 1 << 50 {
        want[key]?.timestamp = nil
        got[key]?.timestamp = nil
    }
    if got != want { fatalError("OpenMetrics read back differs:\nwant \(want)\ngot  \(got)\n\(text)") }
}

// MARK: - Input

/// Reads the fuzzer's bytes as choices; past the end every choice is zero.
private struct FuzzInput {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    mutating func byte() -> UInt8 {
        guard index < bytes.count else { return 0 }
        defer { index += 1 }
        return bytes[index]
    }

    mutating func uint64() -> UInt64 {
        var value: UInt64 = 0
        for _ in 0..<8 { value = value << 8 | UInt64(byte()) }
        return value
    }

    /// Text of up to 15 bytes: mostly from a small alphabet (names repeat, suffixes line up),
    /// sometimes raw bytes decoded as UTF-8 (escapes, quotes, newlines, multi-byte characters).
    mutating func text(alphabet: [String]) -> String {
        let head = byte()
        let count = Int(head & 0x0F)
        if head & 0x80 != 0 {
            var raw: [UInt8] = []
            for _ in 0..<count { raw.append(byte()) }
            return String(decoding: raw, as: UTF8.self)
        }
        var out = ""
        for _ in 0..<count { out += alphabet[Int(byte()) % alphabet.count] }
        return out
    }

    mutating func families() -> [ParsedFamily] {
        let nameParts = ["a", "b", "x", "_", ":", "1", "_total", "_info", "_bucket", "_created", "é", " "]
        let labelParts = ["le", "quantile", "job", "a", "_", "__name__", "1", "", "é"]
        let valueParts = ["", "0.5", "+Inf", "1", "\\", "\"", "\n", "a", "é", "{", "}", ",", "="]
        let suffixes = ["", "", "_total", "_created", "_bucket", "_count", "_sum", "_info", "_x"]
        var families: [ParsedFamily] = []
        for _ in 0..<Int(byte() % 4) {
            let name = text(alphabet: nameParts)
            let types: [MetricType] = [.gauge, .counter, .untyped]
            let type = types[Int(byte()) % types.count]
            let help = byte() & 1 == 0 ? nil : text(alphabet: valueParts)
            let unit = byte() & 1 == 0 ? nil : text(alphabet: nameParts)
            var samples: [ParsedSample] = []
            for _ in 0..<Int(byte() % 5) {
                let sampleName = name + suffixes[Int(byte()) % suffixes.count]
                var labels: [Label] = []
                for _ in 0..<Int(byte() % 3) {
                    labels.append(Label(text(alphabet: labelParts), text(alphabet: valueParts)))
                }
                let value = byte() & 1 == 0 ? Double(Int(byte()) - 128) / 4 : Double(bitPattern: uint64())
                let timestamp: Int64? =
                    switch byte() % 3 {
                    case 0: nil
                    case 1: 1_700_000_000_000 + Int64(byte())
                    default: Int64(bitPattern: uint64())
                    }
                samples.append(
                    ParsedSample(name: sampleName, labels: Labels(labels), value: value, timestamp: timestamp))
            }
            families.append(ParsedFamily(name: name, type: type, help: help, unit: unit, samples: samples))
        }
        return families
    }
}
