import KlaxonMetrics
import KlaxonPromQL
import Testing

@testable import KlaxonServer

/// The inline chart beside each alert on the status page: drawn from the points alone, every
/// odd series (empty, one point, flat, NaN, gaps, huge values) still a readable picture.
@Suite struct StatusChartTests {
    static let start: Int64 = 1_767_225_600_000
    static let step: Int64 = 30_000
    static let end = start + 60 * step

    static func samples(_ values: [Double], every step: Int64 = step) -> [Sample] {
        values.enumerated().map { Sample(timestamp: start + Int64($0.offset) * step, value: $0.element) }
    }

    static func chart(_ samples: [Sample], threshold: Double? = nil, title: String = "up") -> String {
        StatusChart.svg(samples, start: start, end: end, step: step, threshold: threshold, title: title)
    }

    /// The `(x, y)` pairs of the chart's polylines, in order.
    static func polylines(_ svg: String) -> [[(x: Double, y: Double)]] {
        svg.split(separator: "<polyline points=\"").dropFirst().map { rest in
            rest.prefix { $0 != "\"" }.split(separator: " ").map { pair in
                let parts = pair.split(separator: ",")
                return (Double(parts[0]) ?? .nan, Double(parts[1]) ?? .nan)
            }
        }
    }

    @Test func noSampleOrOnlyNaNShowsANoteInsteadOfAChart() {
        for samples in [[], Self.samples([.nan, Sample.staleNaN, .infinity])] {
            let html = Self.chart(samples)
            #expect(html.contains("no samples"))
            #expect(!html.contains("<svg"))
        }
    }

    @Test func aSinglePointIsADot() {
        let svg = Self.chart(Self.samples([42]))
        #expect(svg.contains("<circle cx=\"0\" cy=\"24\""), "one point sits in the middle, at its time")
        #expect(!svg.contains("<polyline"))
    }

    @Test func aFlatSeriesIsALineAcrossTheMiddle() throws {
        let svg = Self.chart(Self.samples(Array(repeating: 7, count: 61)))
        let line = try #require(Self.polylines(svg).first)
        #expect(line.count == 61)
        #expect(line.allSatisfy { $0.y == 24 })
        #expect(line.first?.x == 0 && line.last?.x == 240, "the line spans the whole window")
    }

    @Test func higherValuesAreDrawnHigherAndTheExtremesTouchThePadding() throws {
        let line = try #require(Self.polylines(Self.chart(Self.samples([1, 3, 2]))).first)
        #expect(line.map(\.y) == [45, 3, 24])
    }

    @Test func aNaNOrAMissingStepBreaksTheLine() {
        let withNaN = Self.chart(Self.samples([1, 2, .nan, 3, 4]))
        #expect(Self.polylines(withNaN).map(\.count) == [2, 2])
        var gapped = Self.samples([1, 2])
        gapped += Self.samples([3, 4, 5]).map { Sample(timestamp: $0.timestamp + 10 * Self.step, value: $0.value) }
        #expect(Self.polylines(Self.chart(gapped)).map(\.count) == [2, 3])
        let lonely = Self.chart(Self.samples([1, .nan, 2, 3]))
        #expect(lonely.contains("<circle") && Self.polylines(lonely).map(\.count) == [2])
    }

    @Test func theThresholdIsADashedLineAndWidensTheScale() {
        let svg = Self.chart(Self.samples([0.1, 0.2]), threshold: 0.5)
        #expect(svg.contains("<line class=\"threshold\" x1=\"0\" y1=\"3\" x2=\"240\" y2=\"3\"/>"))
        #expect(Self.polylines(svg).first?.allSatisfy { $0.y > 24 } == true, "the values sit below the threshold")
        #expect(!Self.chart(Self.samples([1]), threshold: .nan).contains("threshold"))
    }

    @Test func hugeValuesStillGiveFiniteCoordinates() throws {
        let svg = Self.chart(Self.samples([-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude, 0]))
        let line = try #require(Self.polylines(svg).first)
        #expect(line.map(\.y) == [45, 3, 24])
    }

    @Test func theTitleIsEscaped() {
        let svg = Self.chart(Self.samples([1, 2]), title: "x{a=\"<script>alert(1)</script>\"} > 0")
        #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!svg.contains("<script"))
        #expect(svg.contains("min 1, max 2"))
    }

    @Test(arguments: [
        (1.1018540694871888, "1.102"), (0.0912345, "0.09123"), (3, "3"), (-42.123456, "-42.12"),
        (123_456.7, "123457"), (0.0001234, "0.0001234"), (0, "0"), (Double.nan, "NaN"),
    ])
    func theAlertTableShowsValuesShortened(value: Double, shown: String) {
        #expect(StatusPage.short(value) == shown)
    }

    @Test(arguments: [
        ("engine_redis_connected == 0", "engine_redis_connected", 0.0),
        ("(engine:loop_latency_seconds:avg1m > (0.5))", "engine:loop_latency_seconds:avg1m", 0.5),
        ("0.2 > exchange_rate_limit_remaining_ratio", "exchange_rate_limit_remaining_ratio", 0.2),
        ("sum by (exchange) (rate(x[5m])) > 5", "sum by (exchange) (rate(x[5m]))", 5.0),
    ])
    func aComparisonWithANumberChartsItsOtherSideWithTheNumberAsThreshold(
        expression: String, charted: String, threshold: Double
    ) throws {
        let plan = AlertCharts.Plan(try PromQL.parse(expression))
        #expect(plan.expression == (try PromQL.parse(charted)).description)
        #expect(plan.threshold == threshold)
    }

    @Test(arguments: ["up > bool 1", "a > b", "a and b > 1", "rate(x[5m])"])
    func anyOtherExpressionIsChartedWhole(expression: String) throws {
        let expr = try PromQL.parse(expression)
        let plan = AlertCharts.Plan(expr)
        #expect(plan.expression == expr.description && plan.threshold == nil)
    }
}
