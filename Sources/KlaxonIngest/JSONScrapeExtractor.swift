import KlaxonConfig
import KlaxonMetrics

/// Reads the metrics a `format: json` scrape job maps out of a target's JSON body.
///
/// For each configured metric, its `path` is split at its **last** `[*]`: the part up to and including
/// that `[*]` selects the *anchor* elements, the rest selects one value inside each anchor; every
/// anchor gives one sample. A path without `[*]` has one anchor, the document root.
/// Label paths are evaluated **relative to the anchor** (`labels: {venue: name}` with
/// `path: venues[*].latency_ms` reads `venues[i].name`); a label path with `[*]` takes its first match.
///
/// Values: a number; `true`/`false` as 1/0; a string holding a number (`"12.5"`, `"NaN"`, `"+Inf"`).
/// A missing or `null` value gives no sample for that anchor. Label values: strings as they are,
/// numbers as written, booleans as `true`/`false`; missing or `null` leaves the label out.
/// Anything else (an object or array where a scalar belongs, a non-numeric string value) fails
/// the scrape with an error naming the concrete path, e.g. `venues[2].latency_ms`.
package enum JSONScrapeExtractor {
    /// The families `mapping` reads from `document`; metrics sharing a name form one family.
    package static func families(from document: JSONValue, mapping: JSONScrapeMapping) throws(JSONScrapeError)
        -> [ParsedFamily]
    {
        var families: [ParsedFamily] = []
        var index: [String: Int] = [:]
        for metric in mapping.metrics {
            let samples = try samples(for: metric, in: document)
            if let position = index[metric.name] {
                guard families[position].type == metric.type else {
                    throw JSONScrapeError(
                        path: metric.path.description,
                        "metric \(metric.name) is mapped twice with different types; give both the same type")
                }
                families[position].samples += samples
            } else {
                index[metric.name] = families.count
                families.append(ParsedFamily(name: metric.name, type: metric.type, help: metric.help, samples: samples))
            }
        }
        return families
    }

    /// One sample per anchor of `metric.path` that has a value.
    static func samples(for metric: JSONMetricMapping, in document: JSONValue) throws(JSONScrapeError) -> [ParsedSample]
    {
        let components = metric.path.components
        let split = (components.lastIndex(of: .wildcard) ?? -1) + 1
        let anchors = resolve(components[..<split], from: document, trail: "")
        var samples: [ParsedSample] = []
        for anchor in anchors {
            guard let found = resolve(components[split...], from: anchor.value, trail: anchor.trail).first else {
                continue
            }
            guard let value = try number(found.value, path: found.trail) else { continue }
            var labels: [Label] = []
            for label in metric.labels {
                guard let match = resolve(label.path.components[...], from: anchor.value, trail: anchor.trail).first,
                    let text = try labelValue(match.value, path: match.trail)
                else { continue }
                labels.append(Label(label.name, text))
            }
            samples.append(ParsedSample(name: metric.name, labels: Labels(labels), value: value))
        }
        return samples
    }

    /// Every value `components` reaches from `value`, with its concrete path (`venues[2].name`).
    static func resolve(_ components: ArraySlice<JSONPath.Component>, from value: JSONValue, trail: String)
        -> [(value: JSONValue, trail: String)]
    {
        guard let first = components.first else { return [(value, trail)] }
        let rest = components.dropFirst()
        switch first {
        case .key(let key):
            guard let child = value[key] else { return [] }
            return resolve(rest, from: child, trail: trail.isEmpty ? key : "\(trail).\(key)")
        case .index(let position):
            guard case .array(let elements) = value, position < elements.count else { return [] }
            return resolve(rest, from: elements[position], trail: "\(trail)[\(position)]")
        case .wildcard:
            guard case .array(let elements) = value else { return [] }
            var result: [(value: JSONValue, trail: String)] = []
            for (position, element) in elements.enumerated() {
                result += resolve(rest, from: element, trail: "\(trail)[\(position)]")
            }
            return result
        }
    }

    private static func number(_ value: JSONValue, path: String) throws(JSONScrapeError) -> Double? {
        switch value {
        case .null: return nil
        case .number(let number, _): return number
        case .bool(let flag): return flag ? 1 : 0
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: " \t")
            switch trimmed {
            case "NaN": return .nan
            case "+Inf", "Inf": return .infinity
            case "-Inf": return -.infinity
            default:
                let isDecimal = trimmed.utf8.allSatisfy {
                    ($0 >= 0x30 && $0 <= 0x39) || [0x2B, 0x2D, 0x2E, 0x65, 0x45].contains($0)
                }
                if isDecimal, let number = Double(trimmed) { return number }
            }
            fallthrough
        default:
            throw JSONScrapeError(path: path, "expected a number, a boolean or a numeric string, got \(value.excerpt)")
        }
    }

    private static func labelValue(_ value: JSONValue, path: String) throws(JSONScrapeError) -> String? {
        switch value {
        case .null: return nil
        case .string(let text): return text
        case .number(_, let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .array, .object:
            throw JSONScrapeError(path: path, "a label value must be a string, number or boolean, got \(value.excerpt)")
        }
    }
}

/// Why a JSON scrape body could not be mapped: the concrete path and what was wrong.
package struct JSONScrapeError: Error, Sendable, Equatable, CustomStringConvertible {
    package var path: String
    package var message: String

    init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    /// `venues[2].latency_ms: expected a number, …`
    package var description: String { "\(path): \(message)" }
}

extension String {
    /// The text without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> String {
        Substring(self).trimmingCharacters(in: set)
    }
}
