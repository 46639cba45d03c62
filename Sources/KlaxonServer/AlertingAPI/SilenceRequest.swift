import KlaxonConfig
import KlaxonIngest
import KlaxonMetrics
import KlaxonRouting

/// The body of `POST /api/v1/silences` and `POST /api/v2/silences`: Alertmanager's
/// postableSilence, plus two Klaxon extensions for the v1 API.
///
/// ```json
/// {"matchers": [{"name": "alertname", "value": "ExchangeFrozen", "isRegex": false, "isEqual": true}],
///  "startsAt": "2026-01-01T09:00:00Z", "endsAt": "2026-01-01T11:00:00Z",
///  "createdBy": "alice", "comment": "venue maintenance"}
/// ```
/// v1 also takes matchers as text (`"venue=~\"binance|okx\""`), `duration` ("2h") instead of
/// `endsAt`, and `untilResolved` (a fingerprint): the silence ends when that alert resolves,
/// and when it has no matchers it silences exactly that alert.
package struct SilenceRequest: Sendable, Equatable {
    /// Which API the body came to: v2 reads Alertmanager's fields only, and skips unknown ones as
    /// Alertmanager does; v1 refuses unknown fields.
    package enum Dialect: Sendable {
        case klaxon
        case alertmanager
    }

    /// The silence to replace; nil creates one.
    package var id: String?
    /// Empty only with `untilResolved` (the alert's labels are used).
    package var matchers: [LabelMatcher]
    package var createdBy: String
    package var comment: String
    /// Unix milliseconds; not before the time of the request.
    package var startsAt: Int64
    /// Unix milliseconds; nil only with `untilResolved` and no end.
    package var endsAt: Int64?
    package var untilResolved: Fingerprint?

    package init(
        id: String? = nil, matchers: [LabelMatcher], createdBy: String, comment: String = "", startsAt: Int64,
        endsAt: Int64?, untilResolved: Fingerprint? = nil
    ) {
        self.id = id
        self.matchers = matchers
        self.createdBy = createdBy
        self.comment = comment
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.untilResolved = untilResolved
    }

    /// Largest body accepted.
    package static let maxBodyBytes = 64 << 10
    /// Most matchers in one silence.
    package static let maxMatchers = 64
    /// Longest silence: a year, as a guard against a mistyped unit.
    package static let maxLength: Int64 = 366 * 86_400_000
    static let alertmanagerKeys = ["id", "matchers", "startsAt", "endsAt", "createdBy", "comment"]
    static let klaxonKeys = alertmanagerKeys + ["duration", "untilResolved"]

    /// The silence this request makes, with `id`, stamped `now`.
    package func silence(id: String, now: Int64) -> Silence {
        Silence(
            id: id, matchers: matchers, createdBy: createdBy, comment: comment, startsAt: startsAt,
            endsAt: endsAt ?? Int64.max, untilResolved: untilResolved, updatedAt: now)
    }

    /// Parses and checks a body received at `now` (Unix ms); errors name the field
    /// (`silence.matchers[1].value: …`).
    package static func parse(_ body: [UInt8], now: Int64, dialect: Dialect) throws(APIError) -> SilenceRequest {
        let reader = try JSONBodyReader.parse(
            body, path: "silence", maxBytes: maxBodyBytes, allowedKeys: dialect == .klaxon ? klaxonKeys : nil)
        // An empty id means a new silence, as Alertmanager reads it.
        let id = try reader.string("id", maxLength: 64).flatMap { $0.isEmpty ? nil : $0 }
        if let id, !id.utf8.allSatisfy(isIDByte) {
            throw .badData("silence.id: \(JSONValue.string(id).excerpt) is not a silence id (letters, digits and -)")
        }
        var untilResolved: Fingerprint?
        if dialect == .klaxon, let text = try reader.string("untilResolved", maxLength: 64) {
            guard let fingerprint = Fingerprint(hex: text) else {
                throw .badData(
                    "silence.untilResolved: \(JSONValue.string(text).excerpt) is not an alert fingerprint "
                        + "(16 hex digits)")
            }
            untilResolved = fingerprint
        }
        let matchers = try parseMatchers(reader, required: untilResolved == nil)
        let createdBy = try reader.requiredString(
            "createdBy", maxLength: 256, hint: "say who creates the silence, e.g. \"createdBy\": \"alice\"")
        let comment = try reader.string("comment", maxLength: 4096) ?? ""
        let requestedStart = try reader.time("startsAt") ?? now
        let startsAt = max(requestedStart, now)
        let endsAt = try parseEnd(reader, dialect: dialect, startsAt: startsAt, untilResolved: untilResolved)
        return SilenceRequest(
            id: id, matchers: matchers, createdBy: createdBy, comment: comment, startsAt: startsAt, endsAt: endsAt,
            untilResolved: untilResolved)
    }

    private static func isIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }

    private static func parseEnd(
        _ reader: JSONBodyReader, dialect: Dialect, startsAt: Int64, untilResolved: Fingerprint?
    ) throws(APIError) -> Int64? {
        let duration = dialect == .klaxon ? try reader.string("duration", maxLength: 64) : nil
        var endsAt = try reader.time("endsAt")
        if let duration {
            guard endsAt == nil else { throw .badData("silence: give endsAt or duration, not both") }
            guard let length = PrometheusDuration.parse(duration), length > 0 else {
                throw .badData(
                    "silence.duration: \(JSONValue.string(duration).excerpt) is not a duration; "
                        + PrometheusDuration.syntaxHint)
            }
            guard length <= maxLength else { throw .badData("silence.duration: \(duration) is longer than 366d") }
            endsAt = startsAt &+ length
        }
        guard let endsAt else {
            if untilResolved != nil { return nil }
            let choices = dialect == .klaxon ? "endsAt (RFC 3339), duration (e.g. 2h) or untilResolved" : "endsAt"
            throw .badData("silence.endsAt: missing; give \(choices)")
        }
        guard endsAt > startsAt else {
            throw .badData(
                "silence.endsAt: \(APITime.format(endsAt)) is not after startsAt \(APITime.format(startsAt))")
        }
        guard endsAt &- startsAt <= maxLength else { throw .badData("silence.endsAt: the silence is longer than 366d") }
        return endsAt
    }

    private static func parseMatchers(_ reader: JSONBodyReader, required: Bool) throws(APIError) -> [LabelMatcher] {
        guard let elements = try reader.array("matchers", maxCount: maxMatchers), !elements.isEmpty else {
            if required {
                throw .badData("silence.matchers: missing; give at least one matcher, e.g. \"alertname=\\\"X\\\"\"")
            }
            return []
        }
        var matchers: [LabelMatcher] = []
        for (index, element) in elements.enumerated() {
            let path = "silence.matchers[\(index)]"
            switch element {
            case .string(let text):
                guard text.utf8.count <= 4096 else { throw .badData("\(path): longer than 4096 bytes") }
                do {
                    matchers.append(try LabelMatcher(parsing: text))
                } catch {
                    throw .badData("\(path): \(error.description)")
                }
            case .object:
                matchers.append(try matcher(JSONBodyReader(element, path: path, allowedKeys: nil)))
            default:
                throw .badData(
                    "\(path): expected a matcher object or text like \"job=\\\"engine\\\"\", got \(element.kind)")
            }
        }
        guard matchers.contains(where: { !$0.matchesEmpty }) else {
            throw .badData(
                "silence.matchers: every matcher matches an empty label, so the silence would mute every alert; "
                    + "add one that needs a value, e.g. alertname=\"X\"")
        }
        return matchers
    }

    /// `{"name": …, "value": …, "isRegex": …, "isEqual": …}` (isRegex false and isEqual true by default).
    private static func matcher(_ reader: JSONBodyReader) throws(APIError) -> LabelMatcher {
        let name = try reader.requiredString("name", maxLength: 1024, hint: "name the label")
        guard MetricNames.isValidLabelName(name) else {
            throw .badData(
                "\(reader.path).name: \(JSONValue.string(name).excerpt) is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)")
        }
        guard let value = try reader.string("value", maxLength: 4096) else {
            throw .badData("\(reader.path).value: missing")
        }
        let isRegex = try reader.bool("isRegex") ?? false
        let isEqual = try reader.bool("isEqual") ?? true
        let type: MatchType =
            switch (isRegex, isEqual) {
            case (false, true): .equal
            case (false, false): .notEqual
            case (true, true): .regexMatch
            case (true, false): .regexNoMatch
            }
        do {
            return try LabelMatcher(name, type, value)
        } catch {
            throw .badData("\(reader.path).value: \(error.description)")
        }
    }
}
