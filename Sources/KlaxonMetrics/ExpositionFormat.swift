/// The exposition formats Klaxon serves on `/metrics`.
package enum ExpositionFormat: Sendable, Equatable, CaseIterable {
    /// Prometheus text format 0.0.4, the default.
    case text
    /// OpenMetrics 1.0.0, when the scraper asks for it.
    case openMetrics

    /// The `Content-Type` of a response in this format.
    package var contentType: String {
        switch self {
        case .text: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    /// Chooses a format from an `Accept` header as Prometheus's client libraries negotiate:
    /// media ranges by descending `q` (ties keep header order); the first one that is
    /// `application/openmetrics-text` (version 1.0.0, 0.0.1 or none) or `text/plain`
    /// (version 0.0.4 or none) wins; anything else, or no header, gives the text format.
    package static func negotiate(accept: String?) -> ExpositionFormat {
        guard let accept, accept.utf8.count <= 4096 else { return .text }
        var ranges: [(quality: Double, order: Int, format: ExpositionFormat?)] = []
        for (order, part) in accept.split(separator: ",").enumerated() {
            let fields = part.split(separator: ";").map { $0.trimmingSpaces.lowercased() }
            guard let media = fields.first else { continue }
            var quality = 1.0
            var version: String?
            for parameter in fields.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingSpaces }
                guard pair.count == 2 else { continue }
                let value = pair[1].trimmingCharacters(in: "\"")
                if pair[0] == "q" { quality = Double(value) ?? 0 }
                if pair[0] == "version" { version = value }
            }
            guard quality > 0 else { continue }
            let format: ExpositionFormat?
            switch media {
            case "application/openmetrics-text" where version == nil || version == "1.0.0" || version == "0.0.1":
                format = .openMetrics
            case "text/plain" where version == nil || version == "0.0.4":
                format = .text
            default:
                format = nil
            }
            ranges.append((quality, order, format))
        }
        ranges.sort { $0.quality != $1.quality ? $0.quality > $1.quality : $0.order < $1.order }
        return ranges.lazy.compactMap(\.format).first ?? .text
    }
}

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}

extension String {
    fileprivate var trimmingSpaces: String { Substring(self).trimmingSpaces }

    fileprivate func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
