import KlaxonMetrics

/// Feeds arbitrary bytes to both exposition parsers: each must return families or throw a positioned error.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    for validation in [TextFormatParser.NameValidation.utf8, .legacy] {
        do {
            use(try TextFormatParser(sizeLimit: 1 << 16, nameValidation: validation).parse(bytes))
        } catch {
            check(error, bytes)
        }
    }
    // Pushgateway's grouping labels: every sample must come back with them set, sorted, each name once.
    let overrides = [Label("job", "fuzz"), Label("instance", "")]
    do {
        let families = try TextFormatParser(sizeLimit: 1 << 16, nameValidation: .legacy, labelOverrides: overrides)
            .parse(bytes)
        for sample in families.flatMap(\.samples) {
            let names = sample.labels.map(\.name)
            precondition(zip(names, names.dropFirst()).allSatisfy { $0 < $1 }, "labels not sorted and unique")
            precondition(sample.labels.contains(Label("job", "fuzz")), "grouping label missing")
            precondition(!names.contains("instance"), "an empty override must remove the label")
            precondition(sample.labels.allSatisfy { !$0.value.isEmpty }, "empty label value kept")
        }
    } catch {
        check(error, bytes)
    }
    do {
        use(try OpenMetricsParser(sizeLimit: 1 << 16).parse(bytes))
    } catch {
        check(error, bytes)
    }
    return 0
}

/// Touches every sample so that a malformed string or label set would surface.
private func use(_ families: [ParsedFamily]) {
    for family in families {
        for sample in family.samples {
            _ = sample.seriesLabels.description
            _ = sample.exemplar?.labels.description
        }
    }
}

/// An error must point inside the input.
private func check(_ error: TextFormatParseError, _ bytes: UnsafeBufferPointer<UInt8>) {
    let lines = bytes.reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
    precondition(error.line >= 1 && error.line <= lines, "error line \(error.line) outside the input")
    precondition(error.column >= 1 && error.column <= bytes.count + 1, "error column \(error.column) outside the input")
    _ = error.description
}
