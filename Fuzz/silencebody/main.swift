import KlaxonMetrics
import KlaxonServer

/// The time every input is parsed at: 2026-01-01T00:00:00Z.
let now: Int64 = 1_767_225_600_000

/// Feeds arbitrary bytes to the silence body parser in both dialects: it must refuse with a
/// message naming `silence`, or return a silence that starts no earlier than now, ends after it
/// starts, and has matchers whose text reads back equal. The bytes are also tried as an RFC 3339
/// time, which must print and read back to the same millisecond.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for dialect in [SilenceRequest.Dialect.klaxon, .alertmanager] {
        do {
            let request = try SilenceRequest.parse(bytes, now: now, dialect: dialect)
            precondition(request.startsAt >= now, "a silence starting in the past was accepted")
            precondition(!request.createdBy.isEmpty, "a silence without a creator was accepted")
            if let endsAt = request.endsAt {
                precondition(endsAt > request.startsAt, "a silence ending before it starts was accepted")
            } else {
                precondition(request.untilResolved != nil, "a silence without an end was accepted")
            }
            precondition(!request.matchers.isEmpty || request.untilResolved != nil, "a silence without matchers")
            for matcher in request.matchers {
                precondition(
                    (try? LabelMatcher(parsing: matcher.text)) == matcher, "\(matcher.text) does not read back")
            }
        } catch {
            precondition(error.message.hasPrefix("silence"), "error does not name the field: \(error.message)")
            precondition(error.status.code == 400, "unexpected status \(error.status)")
        }
    }
    if size <= 64, let text = String(validating: bytes, as: UTF8.self), let time = APITime.parseRFC3339(text) {
        precondition(APITime.parseRFC3339(APITime.format(time)) == time, "\(text) does not print and read back")
    }
    return 0
}
