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
