import KlaxonMetrics

/// A Pushgateway grouping key: the job and grouping labels of a push URL.
///
/// Parsed from `/metrics/job/<job>{/<label>/<value>}` as Pushgateway 1.5 does: a name ending in
/// `@base64` marks its value as URL-safe base64 (RFC 4648 §5, `=` padding optional; `=` alone is
/// the empty value); a label repeated in the path takes its last value; `job` always comes from
/// the job slot. One difference: each path segment is percent-decoded after splitting on `/`, so
/// `a%2Fb` is the value `a/b` here while Pushgateway refuses it (use base64 with either).
package struct PushGroupKey: Sendable, Hashable, CustomStringConvertible {
    /// The `job` value, never empty.
    package var job: String
    /// Every grouping label, `job` included (labels with empty values are absent, as in Prometheus).
    package var labels: Labels
    /// The grouping labels with their values as given, empty ones included, in path order (job first).
    package var pairs: [Label]

    /// The longest path accepted, in bytes.
    package static let maxPathBytes = 8192
    /// The most grouping labels besides `job`.
    package static let maxLabels = 64

    /// Parses the still percent-encoded request path (`HTTPRequest.rawPath`).
    package init(rawPath: String) throws(PushGroupKeyError) {
        guard rawPath.utf8.count <= Self.maxPathBytes else {
            throw .init("the push path is \(rawPath.utf8.count) bytes long; at most \(Self.maxPathBytes) are allowed")
        }
        var segments = rawPath.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard segments.count >= 2, segments.first == "metrics",
            segments.dropFirst().first.map({ $0 == "job" || $0 == "job@base64" }) == true
        else {
            throw .init("the push path must be /metrics/job/<job>{/<label>/<value>}, got \(rawPath.prefix(120))")
        }
        let jobIsBase64 = segments.dropFirst().first == "job@base64"
        segments = segments.dropFirst(2)
        // `/metrics/job/<job>/` has no labels, as in Pushgateway; `/<label>/` (empty value) keeps its pair.
        if segments.count == 2, segments.last == "" { segments = segments.dropLast() }
        guard let rawJob = segments.first else { throw .init("job name is required; push to /metrics/job/<job>") }
        let job = try Self.decodeValue(rawJob, base64: jobIsBase64, what: "job name")
        guard !job.isEmpty else { throw .init("job name is required; push to /metrics/job/<job>") }
        let rest = Array(segments.dropFirst())
        guard rest.count % 2 == 0 else {
            throw .init(
                "odd number of components in label string \"/\(rest.joined(separator: "/").prefix(120))\"; "
                    + "write /<label>/<value> pairs (an empty value as /<label>@base64/=)")
        }
        guard rest.count / 2 <= Self.maxLabels else {
            throw .init("the push path has \(rest.count / 2) grouping labels; at most \(Self.maxLabels) are allowed")
        }
        var values: [String: String] = [:]
        var order: [String] = []
        for pair in stride(from: 0, to: rest.count, by: 2) {
            let rawName = try Self.percentDecode(rest[pair], what: "label name")
            let isBase64 = rawName.hasSuffix("@base64")
            let name = isBase64 ? String(rawName.dropLast("@base64".count)) : rawName
            guard MetricNames.isValidLabelName(name), !name.hasPrefix("__") else {
                throw .init(
                    "improper label name \"\(name.prefix(120))\"; use [a-zA-Z_][a-zA-Z0-9_]* not starting with __")
            }
            let value = try Self.decodeValue(rest[pair + 1], base64: isBase64, what: "label \(name)")
            if values.updateValue(value, forKey: name) == nil { order.append(name) }
        }
        values["job"] = job
        order.removeAll { $0 == "job" }
        self.job = job
        self.pairs = [Label("job", job)] + order.map { Label($0, values[$0] ?? "") }
        self.labels = Labels(pairs)
    }

    /// `job="x", a="b"`
    package var description: String { labels.description }

    // MARK: - Decoding

    private static func decodeValue(_ raw: Substring, base64: Bool, what: String) throws(PushGroupKeyError) -> String {
        let text = try percentDecode(raw, what: what)
        guard base64 else { return text }
        guard let bytes = Base64URL.decode(text) else {
            throw .init(
                "invalid base64 encoding for \(what) \"\(text.prefix(120))\"; use the URL-safe alphabet (A-Z a-z 0-9 - _), "
                    + "padding optional")
        }
        guard let decoded = String(validating: bytes, as: UTF8.self) else {
            throw .init("the base64 value of \(what) is not valid UTF-8 once decoded")
        }
        return decoded
    }

    /// `%XX` escapes decoded; the result must be UTF-8. `+` stays `+`, as in a URL path.
    static func percentDecode(_ raw: Substring, what: String) throws(PushGroupKeyError) -> String {
        guard raw.utf8.contains(UInt8(ascii: "%")) else { return String(raw) }
        let bytes = Array(raw.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                    let low = hexValue(bytes[index + 2])
                else {
                    throw .init("the \(what) has an invalid percent-escape; use %XX with two hex digits")
                }
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        guard let text = String(validating: out, as: UTF8.self) else {
            throw .init("the \(what) is not valid UTF-8 once percent-decoded")
        }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Why a push path was refused; the message says what to write instead.
package struct PushGroupKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    package var description: String

    init(_ description: String) {
        self.description = description
    }
}
