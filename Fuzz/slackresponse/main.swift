import KlaxonNotifiers
import KlaxonRouting

/// Feeds arbitrary bytes to the Slack and generic HTTP answer classifiers (the first line also as a
/// Retry-After value) and to Slack's section packing: each must answer, never crash.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let firstLine = String(decoding: bytes.prefix { $0 != 0x0A }, as: UTF8.self)
    for status in [200, 400, 403, 429, 503] {
        if case .failed(_, let retryAfter) = SlackResponse.classify(status: status, retryAfter: firstLine, body: bytes),
            let retryAfter, retryAfter < 0 || retryAfter > 86_400_000
        {
            fatalError("Retry-After out of range")
        }
        _ = HTTPResponseClassification.classify(
            status: status, headers: ["retry-after": firstLine], body: bytes, target: "t")
    }
    var message = MessageText()
    message.append([.text(String(decoding: bytes, as: UTF8.self))])
    for section in SlackBlocks.sections(message, sectionLimit: 50, blockLimit: 5) where section.utf16.count > 200 {
        if !section.contains("<") { fatalError("section over the limit") }
    }
    return 0
}
