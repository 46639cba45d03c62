import KlaxonHTTP
import KlaxonMetrics
import KlaxonRuntime

// MARK: - /api/v1/metadata

extension QueryAPI {
    /// The metadata route: each metric family's type, help and unit, which Grafana shows in its
    /// metrics browser.
    package static let metadataPath = "/api/v1/metadata"

    /// Answers `/api/v1/metadata` as Prometheus 2.42 does: `{name: [{type, help, unit}]}`, at most
    /// `limit` metrics (a negative limit: all), or only `metric`.
    package func handleMetadata(_ request: HTTPRequest) -> HTTPResponse {
        answer { () throws(QueryAPIError) -> [UInt8] in
            let parameters = try QueryParameters(request)
            var limit = -1
            if let text = parameters.value("limit"), !text.isEmpty {
                guard let parsed = Int(text) else { throw QueryAPIError.badData("limit must be a number") }
                limit = parsed
            }
            let metric = parameters.value("metric") ?? ""
            var entries: [String] = []
            for family in familyMetadata() where metric.isEmpty || family.name == metric {
                if limit >= 0 && entries.count >= limit { break }
                var object = JSONObjectWriter()
                object.string("type", Self.prometheusType(family.type))
                object.string("help", family.help)
                object.string("unit", family.unit)
                entries.append(JSONString.quoted(family.name, htmlSafe: true) + ":[" + object.json + "]")
            }
            return Array(("{\"status\":\"success\",\"data\":{" + entries.joined(separator: ",") + "}}").utf8)
        }
    }

    /// Prometheus's name of a type in its metadata: an untyped family is `unknown`.
    static func prometheusType(_ type: MetricType) -> String {
        type == .untyped ? MetricType.unknown.rawValue : type.rawValue
    }
}
