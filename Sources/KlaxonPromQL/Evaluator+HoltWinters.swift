import Foundation
import KlaxonMetrics

// MARK: - holt_winters

extension Evaluator {
    /// Prometheus's `holt_winters(range, sf, tf)`: double exponential smoothing of each series' samples;
    /// series with fewer than two samples give nothing. Factors outside (0, 1) fail the query once
    /// there is a series to smooth, as Prometheus checks them per series.
    func holtWinters(_ series: [SeriesSamples], smoothing: Expr, trend: Expr, at time: Int64) throws(PromQLError)
        -> [VectorElement]
    {
        let sf = try evalScalar(smoothing, at: time)
        let tf = try evalScalar(trend, at: time)
        guard !series.isEmpty else { return [] }
        guard sf > 0, sf < 1 else {
            throw PromQLError("invalid smoothing factor. Expected: 0 < sf < 1, got: \(Parser.goFixed(sf))")
        }
        guard tf > 0, tf < 1 else {
            throw PromQLError("invalid trend factor. Expected: 0 < tf < 1, got: \(Parser.goFixed(tf))")
        }
        var out: [VectorElement] = []
        for entry in series where entry.samples.count >= 2 {
            let points = entry.samples
            var s0 = 0.0
            var s1 = points[0].value
            var b = points[1].value - points[0].value
            for index in 1..<points.count {
                let x = sf * points[index].value
                // The trend is the first difference for the first step, then smoothed.
                if index > 1 { b = tf * (s1 - s0) + (1 - tf) * b }
                let y = (1 - sf) * (s1 + b)
                s0 = s1
                s1 = x + y
            }
            out.append(VectorElement(labels: entry.labels.withoutName, value: s1))
        }
        try Evaluator.checkUnique(out)
        return out
    }
}
