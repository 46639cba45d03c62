import KlaxonConfig
import KlaxonIngest

/// The body of `POST /api/v1/alerts/{fingerprint}/ack`:
/// `{"by": "alice", "comment": "on it", "expiry": "30m"}`.
///
/// `by` is required (the audit trail names an owner). `expiry` is a Prometheus duration from
/// now, or `expiresAt` an RFC 3339 time; with neither the ack lasts until the alert resolves.
package struct AckRequest: Sendable, Equatable {
    package var by: String
    package var comment: String
    /// Unix milliseconds; nil for "until the alert resolves".
    package var expiresAt: Int64?

    package init(by: String, comment: String = "", expiresAt: Int64? = nil) {
        self.by = by
        self.comment = comment
        self.expiresAt = expiresAt
    }

    /// Largest body accepted.
    package static let maxBodyBytes = 16 << 10
    /// Longest ack: a week (an ack longer than that is a silence).
    package static let maxExpiry: Int64 = 7 * 86_400_000
    static let keys = ["by", "comment", "expiry", "expiresAt"]

    /// Parses and checks a body received at `now` (Unix ms); errors name the field.
    package static func parse(_ body: [UInt8], now: Int64) throws(APIError) -> AckRequest {
        let reader = try JSONBodyReader.parse(body, path: "ack", maxBytes: maxBodyBytes, allowedKeys: keys)
        let by = try reader.requiredString("by", maxLength: 256, hint: "say who owns the alert, e.g. \"by\": \"alice\"")
        let comment = try reader.string("comment", maxLength: 4096) ?? ""
        var request = AckRequest(by: by, comment: comment)
        let expiry = try reader.string("expiry", maxLength: 64)
        let expiresAt = try reader.time("expiresAt")
        switch (expiry, expiresAt) {
        case (.some, .some):
            throw .badData("ack: give expiry or expiresAt, not both")
        case (.some(let text), nil):
            guard let duration = PrometheusDuration.parse(text), duration > 0 else {
                throw .badData(
                    "ack.expiry: \(JSONValue.string(text).excerpt) is not a duration; \(PrometheusDuration.syntaxHint)")
            }
            guard duration <= maxExpiry else {
                throw .badData("ack.expiry: \(text) is longer than 1w; silence the alert instead")
            }
            request.expiresAt = now &+ duration
        case (nil, .some(let time)):
            guard time > now else { throw .badData("ack.expiresAt: \(APITime.format(time)) is not in the future") }
            guard time &- now <= maxExpiry else {
                throw .badData("ack.expiresAt: more than 1w ahead; silence the alert instead")
            }
            request.expiresAt = time
        case (nil, nil):
            break
        }
        return request
    }
}
