import KlaxonRouting

/// How a receiver's HTTP answer becomes a `DeliveryResult`, for receivers with no protocol of their
/// own (webhooks, Alertmanager): 2xx delivered; 429 throttled (honouring `Retry-After`); 408 a
/// timeout; 5xx a server error (all three retried); anything else rejected (fallback).
package enum HTTPResponseClassification {
    package static func classify(status: Int, headers: [String: String], body: [UInt8], target: String)
        -> DeliveryResult
    {
        switch status {
        case 200...299:
            return .delivered
        case 429:
            return .failed(
                DeliveryError(.throttled, "\(target) answered 429 Too Many Requests" + detail(body)),
                retryAfter: retryAfterMilliseconds(headers["retry-after"]))
        case 408:
            return .failed(
                DeliveryError(.timeout, "\(target) answered 408 Request Timeout" + detail(body)), retryAfter: nil)
        case 500...599:
            return .failed(
                DeliveryError(.serverError, "\(target) answered \(status)" + detail(body)),
                retryAfter: retryAfterMilliseconds(headers["retry-after"]))
        default:
            return .failed(DeliveryError(.rejected, "\(target) answered \(status)" + detail(body)), retryAfter: nil)
        }
    }

    /// `Retry-After` in delta-seconds as milliseconds (at most a day); nil when absent or an HTTP date
    /// (the retry policy's own backoff then applies).
    package static func retryAfterMilliseconds(_ value: String?) -> Int64? {
        guard let value else { return nil }
        let trimmed = value.trimmingPrefix(while: { $0 == " " || $0 == "\t" })
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, trimmed.dropFirst(digits.count).allSatisfy({ $0 == " " || $0 == "\t" }) else {
            return nil
        }
        guard digits.count <= 6, let seconds = Int64(digits) else { return 86_400_000 }
        return min(seconds, 86_400) * 1000
    }

    /// ": <the start of the body>" as printable text, or "" for an empty body.
    package static func detail(_ body: [UInt8]) -> String {
        let text = printable(body, limit: 200)
        return text.isEmpty ? "" : ": " + text
    }

    /// At most `limit` characters of `bytes` as one line of printable text.
    package static func printable(_ bytes: [UInt8], limit: Int) -> String {
        printable(String(decoding: bytes.prefix(limit &* 4), as: UTF8.self), limit: limit)
    }

    /// At most `limit` characters of `text`, control characters as spaces, trimmed.
    package static func printable(_ text: String, limit: Int) -> String {
        var out = ""
        var count = 0
        for character in text {
            guard count < limit else {
                out += "…"
                break
            }
            out.append(
                character.isNewline || character.unicodeScalars.allSatisfy({ $0.value < 0x20 }) ? " " : character)
            count &+= 1
        }
        while out.first == " " { out.removeFirst() }
        while out.last == " " { out.removeLast() }
        return out
    }
}
