import KlaxonMetrics
import KlaxonNotifiers

/// A small inline SVG line chart of one series: what the status page draws beside an alert.
///
/// A pure function of the points, so the page needs no script and no outside asset. Values that
/// are not finite (NaN, the stale marker, infinities) and steps with no point break the line;
/// a point standing alone is a dot; a flat series is a line across the middle. `threshold`, when
/// given, is a dashed line (the number the rule compares with).
enum StatusChart {
    /// The drawing area in SVG user units (also its size in CSS pixels).
    static let width = 240.0
    static let height = 48.0
    /// Room above and below so a stroke at the extremes is not cut.
    static let padding = 3.0

    /// The chart of `samples` from `start` to `end` (Unix ms) at `step`, or a "no samples" note.
    /// `title` (the expression) becomes the chart's tooltip and accessible name, escaped.
    static func svg(_ samples: [Sample], start: Int64, end: Int64, step: Int64, threshold: Double?, title: String)
        -> String
    {
        let finite = samples.filter { $0.value.isFinite && $0.timestamp >= start && $0.timestamp <= end }
        guard let first = finite.first else { return "<span class=\"chart-empty\">no samples in 30 min</span>" }
        var low = first.value
        var high = first.value
        for sample in finite {
            low = min(low, sample.value)
            high = max(high, sample.value)
        }
        let shownThreshold = threshold.flatMap { $0.isFinite ? $0 : nil }
        if let shownThreshold {
            low = min(low, shownThreshold)
            high = max(high, shownThreshold)
        }
        let scale = Scale(start: start, end: end, low: low, high: high)
        let range = "min \(MessageFormat.value(minimum(finite))), max \(MessageFormat.value(maximum(finite)))"
        let summary = "\(title) — \(range)"
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(format(width)) \(format(height))\" width=\"\(format(width))\" "
        svg += "height=\"\(format(height))\" role=\"img\" aria-label=\"\(HTMLText.escape(summary))\">"
        svg += "<title>\(HTMLText.escape(summary))</title>"
        if let shownThreshold {
            let y = format(scale.y(shownThreshold))
            svg += "<line class=\"threshold\" x1=\"0\" y1=\"\(y)\" x2=\"\(format(width))\" y2=\"\(y)\"/>"
        }
        for segment in segments(samples, start: start, end: end, step: step) {
            if segment.count == 1, let only = segment.first {
                let x = format(scale.x(only.timestamp))
                svg += "<circle cx=\"\(x)\" cy=\"\(format(scale.y(only.value)))\" r=\"2\"/>"
            } else {
                let points = segment.map { "\(format(scale.x($0.timestamp))),\(format(scale.y($0.value)))" }
                svg += "<polyline points=\"\(points.joined(separator: " "))\"/>"
            }
        }
        return svg + "</svg>"
    }

    /// Runs of consecutive finite samples in the window: a value that is not finite, or a gap of
    /// more than one and a half steps, ends a run.
    static func segments(_ samples: [Sample], start: Int64, end: Int64, step: Int64) -> [[Sample]] {
        var runs: [[Sample]] = []
        var current: [Sample] = []
        let maxGap = step > 0 ? step.multipliedReportingOverflow(by: 3).partialValue / 2 : Int64.max
        for sample in samples where sample.timestamp >= start && sample.timestamp <= end {
            guard sample.value.isFinite else {
                if !current.isEmpty { runs.append(current) }
                current = []
                continue
            }
            if let last = current.last, sample.timestamp &- last.timestamp > maxGap {
                runs.append(current)
                current = []
            }
            current.append(sample)
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    private static func minimum(_ samples: [Sample]) -> Double {
        samples.reduce(Double.infinity) { min($0, $1.value) }
    }

    private static func maximum(_ samples: [Sample]) -> Double {
        samples.reduce(-Double.infinity) { max($0, $1.value) }
    }

    /// A coordinate with one decimal: enough for a 240-unit chart, and short.
    static func format(_ coordinate: Double) -> String {
        guard coordinate.isFinite else { return "0" }
        let tenths = Int64((min(max(coordinate, -1e6), 1e6) * 10).rounded())
        let whole = tenths / 10
        let fraction = abs(tenths % 10)
        let sign = tenths < 0 && whole == 0 ? "-" : ""
        return fraction == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// Maps times and values into the drawing area; y grows downwards, as SVG's does.
    private struct Scale {
        let start: Int64
        let end: Int64
        let low: Double
        let high: Double

        func x(_ time: Int64) -> Double {
            guard end > start else { return 0 }
            let (offset, overflow) = time.subtractingReportingOverflow(start)
            let (span, spanOverflow) = end.subtractingReportingOverflow(start)
            guard !overflow, !spanOverflow else { return 0 }
            return StatusChart.width * Double(offset) / Double(span)
        }

        func y(_ value: Double) -> Double {
            let drawable = StatusChart.height - 2 * StatusChart.padding
            // Halves keep the span finite even for values near ±Double.greatestFiniteMagnitude.
            let span = high / 2 - low / 2
            guard span > 0 else { return StatusChart.height / 2 }
            return StatusChart.padding + drawable * ((high / 2 - value / 2) / span)
        }
    }
}
