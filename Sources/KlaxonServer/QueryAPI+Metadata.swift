import KlaxonHTTP
import KlaxonMetrics
import KlaxonRuntime

// MARK: - /api/v1/series, /api/v1/labels, /api/v1/label/<name>/values

extension QueryAPI {
    /// Answers `/api/v1/series`: the label sets of the series matching any `match[]` (required)
    /// with a sample between `start` and `end` (all time when absent).
    package func handleSeries(_ request: HTTPRequest) -> HTTPResponse {
        answer { () throws(QueryAPIError) -> [UInt8] in
            let parameters = try QueryParameters(request)
            guard !parameters.values("match[]").isEmpty else {
                throw QueryAPIError.badData("no match[] parameter provided")
            }
            let labels = try matchingSeries(parameters, selectorErrorPrefix: "invalid parameter \"match[]\": ")
            return QueryResultJSON.series(labels)
        }
    }

    /// Answers `/api/v1/labels`: the label names of the matching series (every series without `match[]`).
    package func handleLabels(_ request: HTTPRequest) -> HTTPResponse {
        answer { () throws(QueryAPIError) -> [UInt8] in
            let parameters = try QueryParameters(request)
            var names: Set<String> = []
            for labels in try matchingSeries(parameters) {
                for label in labels { names.insert(label.name) }
            }
            return QueryResultJSON.strings(Self.sortedAsGo(names))
        }
    }

    /// Answers `/api/v1/label/<name>/values`: the values `name` takes on the matching series.
    package func handleLabelValues(_ request: HTTPRequest) -> HTTPResponse {
        let rest = request.path.dropFirst(Self.labelValuesPrefix.count)
        guard rest.hasSuffix("/values") else { return HTTPResponse.text("404 page not found\n", status: .notFound) }
        let name = String(rest.dropLast("/values".count))
        guard !name.contains("/") else { return HTTPResponse.text("404 page not found\n", status: .notFound) }
        return answer { () throws(QueryAPIError) -> [UInt8] in
            guard Self.isLabelName(name) else {
                throw QueryAPIError.badData("invalid label name: \(GoQuote.quote(name, delimiter: "\""))")
            }
            let parameters = try QueryParameters(request)
            var values: Set<String> = []
            for labels in try matchingSeries(parameters) {
                if let value = labels[name] { values.insert(value) }
            }
            return QueryResultJSON.strings(Self.sortedAsGo(values))
        }
    }

    // MARK: - Shared

    /// The series matching `match[]` (every series when there is none) between `start` and `end`.
    /// Times are read first, as Prometheus reads them; a selector that does not parse is reported
    /// after `selectorErrorPrefix` (only `/api/v1/series` names the parameter).
    private func matchingSeries(_ parameters: QueryParameters, selectorErrorPrefix: String = "")
        throws(QueryAPIError) -> [Labels]
    {
        let start = try parameters.time("start", default: Int64.min)
        let end = try parameters.time("end", default: Int64.max)
        let selectors = try parameters.selectors(errorPrefix: selectorErrorPrefix)
        do throws(QueryLimitError) {
            return try seriesLabels(selectors, start, end, makeBudget())
        } catch {
            throw QueryAPIError(error)
        }
    }

    /// Prometheus's label name syntax: `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isLabelName(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        func isLetter(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || byte == UInt8(ascii: "_")
        }
        return isLetter(first)
            && name.utf8.dropFirst().allSatisfy { isLetter($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
    }

    /// Sorted by bytes, as Go sorts strings.
    static func sortedAsGo(_ strings: Set<String>) -> [String] {
        strings.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}
