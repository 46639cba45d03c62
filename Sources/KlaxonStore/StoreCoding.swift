import Foundation
import KlaxonMetrics
import KlaxonRuntime

/// How values that SQL has no column type for are written: label sets, annotations, matchers,
/// fingerprints, doubles. One place, so both databases hold the same text.
enum StoreCoding {
    /// 16 lower-case hex digits, as Alertmanager prints fingerprints.
    static func text(_ fingerprint: Fingerprint) -> String { fingerprint.description }

    /// The fingerprint written by `text(_:)`; nil for anything else.
    static func fingerprint(_ text: String) -> Fingerprint? {
        guard text.utf8.count == 16, let value = UInt64(text, radix: 16) else { return nil }
        return Fingerprint(rawValue: value)
    }

    /// Shortest text that reads back as the same double (`nan`, `inf`, `-inf` for the rest).
    static func text(_ value: Double) -> String { value.description }

    /// A label set as a JSON object with its names in order: `{"alertname":"X","severity":"P0"}`.
    static func encode(_ labels: Labels) -> String {
        var text = "{"
        for (index, label) in labels.enumerated() {
            if index > 0 { text += "," }
            text += JSONString.quoted(label.name) + ":" + JSONString.quoted(label.value)
        }
        return text + "}"
    }

    /// The label set written by `encode(_: Labels)`; nil when the text is not a JSON object of strings.
    static func decodeLabels(_ text: String) -> Labels? {
        guard let object = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else { return nil }
        return Labels(object)
    }

    /// Name/value pairs as a JSON array, order and empty values kept: `[{"name":"a","value":""}]`.
    static func encode(_ pairs: [Label]) -> String {
        var text = "["
        for (index, pair) in pairs.enumerated() {
            if index > 0 { text += "," }
            text += "{\"name\":" + JSONString.quoted(pair.name) + ",\"value\":" + JSONString.quoted(pair.value) + "}"
        }
        return text + "]"
    }

    /// The pairs written by `encode(_: [Label])`; nil for anything else.
    static func decodePairs(_ text: String) -> [Label]? {
        guard let pairs = try? JSONDecoder().decode([PairDTO].self, from: Data(text.utf8)) else { return nil }
        return pairs.map { Label($0.name, $0.value) }
    }

    /// Silence matchers as a JSON array: `[{"name":"venue","type":"=~","value":"bin.*"}]`.
    static func encode(_ matchers: [LabelMatcher]) -> String {
        var text = "["
        for (index, matcher) in matchers.enumerated() {
            if index > 0 { text += "," }
            text +=
                "{\"name\":" + JSONString.quoted(matcher.name) + ",\"type\":" + JSONString.quoted(matcher.type.rawValue)
                + ",\"value\":" + JSONString.quoted(matcher.value) + "}"
        }
        return text + "]"
    }

    /// The matchers written by `encode(_: [LabelMatcher])`, or a sentence saying what is wrong.
    static func decodeMatchers(_ text: String) -> Result<[LabelMatcher], MatcherDecodingError> {
        guard let items = try? JSONDecoder().decode([MatcherDTO].self, from: Data(text.utf8)) else {
            return .failure(MatcherDecodingError(message: "is not a JSON list of matchers"))
        }
        var matchers: [LabelMatcher] = []
        for item in items {
            guard let type = MatchType(rawValue: item.type) else {
                return .failure(MatcherDecodingError(message: "has an unknown match type \"\(item.type.prefix(8))\""))
            }
            do {
                matchers.append(try LabelMatcher(item.name, type, item.value))
            } catch {
                return .failure(MatcherDecodingError(message: "has a bad matcher: \(error.description)"))
            }
        }
        return .success(matchers)
    }

    private struct PairDTO: Codable {
        var name: String
        var value: String
    }

    private struct MatcherDTO: Codable {
        var name: String
        var type: String
        var value: String
    }
}

/// Why stored matchers could not be read back.
struct MatcherDecodingError: Error {
    var message: String
}
