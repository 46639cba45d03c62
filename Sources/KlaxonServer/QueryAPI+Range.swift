import KlaxonHTTP
import KlaxonMetrics
import KlaxonPromQL

// MARK: - /api/v1/query_range

extension QueryAPI {
    /// Answers a range query. Parameters are checked in Prometheus's order (`start`, `end`,
    /// `step`, the resolution limit, `timeout`, then `query`), so the same request fails with the
    /// same message.
    package func handleRange(_ request: HTTPRequest) -> HTTPResponse {
        answer { () throws(QueryAPIError) -> [UInt8] in
            let parameters = try QueryParameters(request)
            let start = try parameters.time("start", default: nil, wording: .bare)
            let end = try parameters.time("end", default: nil, wording: .bare)
            guard end >= start else {
                throw QueryAPIError.badData("invalid parameter \"end\": end timestamp must not be before start time")
            }
            let step = try parameters.duration("step")
            guard step > 0 else {
                throw QueryAPIError.badData(
                    "invalid parameter \"step\": zero or negative query resolution step widths are not accepted. "
                        + "Try a positive integer")
            }
            let (span, overflow) = end.subtractingReportingOverflow(start)
            guard !overflow, span / step <= Evaluator.maxPointsPerSeries else {
                throw QueryAPIError.badData(
                    "exceeded maximum resolution of 11,000 points per timeseries. "
                        + "Try decreasing the query resolution (?step=XX)")
            }
            let timeout = try parameters.timeout()
            let text = try parameters.query()
            // Unlike an instant query's, a range query's parse errors do not name the parameter.
            let expr: Expr
            do throws(PromQLError) {
                expr = try PromQL.parse(text)
            } catch {
                throw QueryAPIError.badData(error.description)
            }
            guard expr.type == .vector || expr.type == .scalar else {
                throw QueryAPIError.badData(
                    "invalid expression type \"\(expr.type.rawValue)\" for range query, must be Scalar or instant Vector"
                )
            }
            let series: [SeriesSamples]
            do throws(PromQLError) {
                series = try evaluateRange(text, start, end, step, makeBudget(timeout: timeout))
            } catch {
                throw QueryAPIError(error)
            }
            return QueryResultJSON.success(.matrix(series), at: end)
        }
    }
}
