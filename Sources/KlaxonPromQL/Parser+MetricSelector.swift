import KlaxonMetrics

// MARK: - Series selectors alone (`match[]`)

extension PromQL {
    /// Parses a series selector as Prometheus's `ParseMetricSelector` does for the API's `match[]`:
    /// a metric name, matchers in braces, or both, and nothing else. Unlike `parse` it does not
    /// require a non-empty matcher (the API checks that itself) and names the first token that is
    /// not part of a selector (`unexpected "("`, `unexpected <offset>`).
    package static func parseMetricSelector(_ text: String) throws(PromQLError) -> [LabelMatcher] {
        var parser = try Parser(Array(text.utf8))
        return try parser.parseMetricSelector()
    }
}

extension Parser {
    /// Words Prometheus's lexer makes into tokens its selector grammar cannot take as a metric name;
    /// the aggregation names, `by`, `and`, `offset` and the like it does take.
    static let notMetricNames: Set<String> = ["atan2", "on", "ignoring", "group_left", "group_right", "bool"]

    mutating func parseMetricSelector() throws(PromQLError) -> [LabelMatcher] {
        // The API applies the non-empty matcher rule itself, in its own words.
        checksTypes = false
        let start = current
        var name: String?
        if case .identifier(let word) = current.kind {
            let lower = word.lowercased()
            guard !Parser.notMetricNames.contains(lower), lower != "inf", lower != "nan" else { throw unexpected() }
            name = word
            _ = advance()
        } else if current.kind != .leftBrace {
            throw unexpected()
        }
        let selector = try parseSelector(name: name, at: start)
        // A lexical error ends the tokens early; `unexpected` at that end reports it.
        guard current.kind == .end, lexError == nil else { throw unexpected() }
        return selector.matchers
    }
}
