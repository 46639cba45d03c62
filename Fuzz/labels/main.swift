import KlaxonMetrics

/// Feeds arbitrary bytes as a regex and a value to the label matcher: it must throw or answer, never crash.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let text = String(decoding: bytes, as: UTF8.self)
    let parts = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let pattern = String(parts[0])
    let value = parts.count > 1 ? String(parts[1]) : ""
    if let matcher = try? LabelMatcher("a", .regexMatch, pattern) {
        _ = matcher.matches(value)
        _ = Labels([Label("a", value), Label("b", pattern)]).description
    }
    return 0
}
