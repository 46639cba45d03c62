import KlaxonIngest

/// The metric names a push carried, for waking the rule groups that read them (`eval_on_push`).
///
/// The push handlers have already validated and stored the body; this only reads the names back
/// out, so a rule reading one of them is evaluated at once instead of on its next interval.
enum PushedMetricNames {
    /// The series the Pushgateway writes with every push, besides the pushed ones.
    static let pushgatewayTimes: Set<String> = ["push_time_seconds", "push_failure_time_seconds"]

    /// Sample names of a text-format (or OpenMetrics) body: each sample line's leading name.
    static func text(_ body: [UInt8]) -> Set<String> {
        var names: Set<String> = pushgatewayTimes
        var index = 0
        while index < body.count {
            var lineEnd = index
            while lineEnd < body.count, body[lineEnd] != UInt8(ascii: "\n") { lineEnd += 1 }
            var start = index
            while start < lineEnd, body[start] == UInt8(ascii: " ") || body[start] == UInt8(ascii: "\t") { start += 1 }
            if start < lineEnd, body[start] != UInt8(ascii: "#") {
                var end = start
                while end < lineEnd, isNameByte(body[end]) { end += 1 }
                if end > start { names.insert(String(decoding: body[start..<end], as: UTF8.self)) }
            }
            index = lineEnd + 1
        }
        return names
    }

    /// Sample names of a JSON batch (`samples[].name`); empty when it does not decode.
    static func json(_ body: [UInt8]) -> Set<String> {
        guard let batch = try? JSONPushBatch(decoding: body) else { return [] }
        return Set(batch.families.flatMap { $0.samples.map(\.name) })
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: ":"):
            true
        default:
            false
        }
    }
}
