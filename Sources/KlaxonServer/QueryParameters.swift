import Foundation
import KlaxonConfig
import KlaxonHTTP
import KlaxonMetrics
import KlaxonPromQL
import KlaxonRuntime

/// The parameters of one query API request, read as Prometheus's API reads them.
///
/// A POST may carry them as an `application/x-www-form-urlencoded` body; its items come before
/// the URL's, so the body wins as in Go's `FormValue`, and repeated `match[]` gather both.
struct QueryParameters {
    let items: [HTTPQueryItem]

    init(_ request: HTTPRequest) throws(QueryAPIError) {
        guard request.method == "POST", !request.body.isEmpty else {
            items = request.query
            return
        }
        let contentType = request.headers["Content-Type"]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/x-www-form-urlencoded") else {
            throw QueryAPIError.badData(
                "a POST body must be application/x-www-form-urlencoded (query=…&time=…), not \(contentType.prefix(64))")
        }
        guard let form = String(validating: request.body, as: UTF8.self) else {
            throw QueryAPIError.badData("the form body is not valid UTF-8")
        }
        // The request type decodes a target's query string; a form body uses the same encoding.
        items = HTTPRequest(method: "POST", target: "/?" + form).query + request.query
    }

    /// The first value of `name`, or nil.
    func value(_ name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// Every value of `name` in order (repeated `match[]`).
    func values(_ name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    /// The query text within `QueryAPI.maxQueryBytes`; a missing one is the empty query, which
    /// fails to parse as Prometheus's does.
    func query() throws(QueryAPIError) -> String {
        let text = value("query") ?? ""
        guard text.utf8.count <= QueryAPI.maxQueryBytes else {
            throw QueryAPIError.badData(
                "invalid parameter \"query\": the query is \(text.utf8.count) bytes; the limit is \(QueryAPI.maxQueryBytes)"
            )
        }
        return text
    }

    /// How Prometheus's API words a timestamp parameter it cannot read: `query_range`'s `start` and
    /// `end` with the bare parser error, the others wrapped by `parseTimeParam`.
    enum TimeWording {
        case bare
        case wrapped
    }

    /// The timestamp parameter `name` in Unix ms; `fallback` when it is absent or empty
    /// (nil fallback: the parameter is required, and its absence reads as an unparsable "").
    func time(_ name: String, default fallback: Int64?, wording: TimeWording = .wrapped) throws(QueryAPIError)
        -> Int64
    {
        let text = value(name) ?? ""
        if text.isEmpty, let fallback { return fallback }
        do {
            return try Self.parseTime(text)
        } catch {
            let detail = wording == .bare ? error.message : "Invalid time value for '\(name)': \(error.message)"
            throw QueryAPIError.badData("invalid parameter \"\(name)\": \(detail)")
        }
    }

    /// The duration parameter `name` (`step`, `timeout`) in ms: float seconds (`15`, `0.5`) or a
    /// Prometheus duration (`15s`, `1m30s`), as Prometheus reads it. A positive duration below 1 ms
    /// counts as 1 ms.
    func duration(_ name: String) throws(QueryAPIError) -> Int64 {
        let text = value(name) ?? ""
        let quoted = GoQuote.quote(text, delimiter: "\"")
        if let seconds = Double(text) {
            guard seconds.isFinite, abs(seconds) < Double(PrometheusDuration.maxMilliseconds) / 1000 else {
                throw QueryAPIError.badData(
                    "invalid parameter \"\(name)\": cannot parse \(quoted) to a valid duration. It overflows int64")
            }
            let milliseconds = Int64((seconds * 1000).rounded(.towardZero))
            return seconds > 0 ? max(1, milliseconds) : milliseconds
        }
        guard let milliseconds = PrometheusDuration.parse(text) else {
            throw QueryAPIError.badData("invalid parameter \"\(name)\": cannot parse \(quoted) to a valid duration")
        }
        return milliseconds
    }

    /// The `timeout` parameter in ms, nil when absent: it can shorten a query's deadline, never
    /// lengthen it past `query.timeout`.
    func timeout() throws(QueryAPIError) -> Int64? {
        guard let text = value("timeout"), !text.isEmpty else { return nil }
        return try duration("timeout")
    }

    /// The `match[]` selectors, each a series selector as Prometheus's `ParseMetricSelector` reads it.
    /// A selector that does not parse is reported after `prefix` (`/api/v1/series` names the
    /// parameter, the label requests do not).
    func selectors(errorPrefix prefix: String = "invalid parameter \"match[]\": ") throws(QueryAPIError)
        -> [[LabelMatcher]]
    {
        var selectors: [[LabelMatcher]] = []
        for text in values("match[]") {
            guard text.utf8.count <= QueryAPI.maxQueryBytes else {
                throw QueryAPIError.badData(
                    "invalid parameter \"match[]\": the selector is \(text.utf8.count) bytes; "
                        + "the limit is \(QueryAPI.maxQueryBytes)")
            }
            let matchers: [LabelMatcher]
            do throws(PromQLError) {
                matchers = try PromQL.parseMetricSelector(text)
            } catch {
                throw QueryAPIError.badData("\(prefix)\(error.description)")
            }
            guard matchers.contains(where: { !$0.matchesEmpty }) else {
                throw QueryAPIError.badData(prefix + Self.emptyMatchers)
            }
            selectors.append(matchers)
        }
        return selectors
    }

    static let emptyMatchers = "match[] must contain at least one non-empty matcher"

    /// Unix seconds (`1700000000.123`) or RFC 3339 (`2023-11-14T22:13:20.123Z`) to Unix milliseconds.
    static func parseTime(_ text: String) throws(QueryAPIError) -> Int64 {
        if let seconds = Double(text), seconds.isFinite, abs(seconds) < 9e15 {
            let whole = seconds.rounded(.towardZero)
            let fraction = ((seconds - whole) * 1000).rounded()
            return Int64(whole) * 1000 + Int64(fraction)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if text.utf8.count <= 64, let date = formatter.date(from: text) {
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        formatter.formatOptions = [.withInternetDateTime]
        if text.utf8.count <= 64, let date = formatter.date(from: text) {
            return Int64((date.timeIntervalSince1970 * 1000).rounded())
        }
        throw QueryAPIError.badData("cannot parse \(GoQuote.quote(text, delimiter: "\"")) to a valid timestamp")
    }
}
