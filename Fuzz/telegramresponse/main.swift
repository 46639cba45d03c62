import KlaxonNotifiers
import KlaxonRouting

/// Feeds arbitrary bytes to the Telegram answer classifier (as the body of several statuses) and
/// to the Telegram HTML splitter: each must answer, never crash, and the splitter's parts must fit.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for status in [200, 400, 429, 502] {
        if case .failed(let error, let retryAfter) = TelegramResponse.classify(status: status, body: bytes) {
            if let retryAfter, retryAfter < 0 || retryAfter > 86_400_000 { fatalError("retry_after out of range") }
            if error.message.contains("\n") { fatalError("multi-line error text") }
        }
    }
    let html = String(decoding: bytes, as: UTF8.self)
    for limit in [4096, 40, 7] {
        for part in TelegramMessageSplitter(limit: limit).split(html) where TelegramHTML.visibleLength(part) > limit {
            let fits = TelegramHTML.visibleLength(html) <= limit
            // Only a single grapheme wider than the whole budget may overflow a part.
            if !fits && limit >= 40 { fatalError("part over the limit") }
        }
    }
    if TelegramHTML.problem(in: html) == nil {
        for part in TelegramMessageSplitter(limit: 40).split(html) where TelegramHTML.problem(in: part) != nil {
            fatalError("splitting well-formed HTML made a malformed part")
        }
    }
    return 0
}
