import KlaxonMetrics
import KlaxonPromQL
import Testing

@Suite struct SeriesNotationTests {
    @Test func expandsEveryForm() throws {
        let values = try SeriesNotation.parse("1+2x3 _ stale 5-1x2 7x1 _x2 -Inf")
        #expect(values.count == 4 + 1 + 1 + 3 + 2 + 2 + 1)
        #expect(Array(values[0..<4]) == [1, 3, 5, 7])
        #expect(values[4] == nil)
        #expect(values[5].map { Sample(timestamp: 0, value: $0).isStaleMarker } == true)
        #expect(Array(values[6..<9]) == [5, 4, 3])
        #expect(Array(values[9..<11]) == [7, 7])
        #expect(values[11] == nil && values[12] == nil)
        #expect(values[13] == -.infinity)
    }

    @Test func exponentSignIsNotAStep() throws {
        #expect(try SeriesNotation.parse("1e-3+1e+1x1") == [0.001, 10.001])
    }

    @Test(arguments: ["1+", "abc", "1x", "1x-2", "1+2xfoo", "1x99999999999"])
    func rejectsMalformedItems(text: String) {
        #expect(throws: PromQLError.self) { try SeriesNotation.parse(text) }
    }

    @Test func parsesASeriesLineWithLabels() throws {
        let line = try SeriesDescription.parse("http_requests{job=\"api\", path=\"/a b\"}\t0+10x2 _")
        #expect(line.labels == Labels(["__name__": "http_requests", "job": "api", "path": "/a b"]))
        #expect(line.values == [0, 10, 20, nil])
        #expect(try SeriesDescription.parseLabels("{}") == Labels.empty)
        #expect(throws: PromQLError.self) { try SeriesDescription.parseLabels("x{a=b}") }
    }

    @Test func inMemorySeriesSelectsClosedRanges() throws {
        var storage = InMemorySeries()
        storage.load(try SeriesDescription.parse("m{a=\"1\"} 1 2 3 4"), step: 10)
        let matcher = try LabelMatcher("__name__", .equal, "m")
        #expect(storage.select([matcher], start: 10, end: 30).first?.samples.map(\.value) == [2, 3, 4])
        #expect(storage.selectLatest([matcher], start: 0, end: 25).first?.sample.value == 3)
        #expect(storage.selectLatest([matcher], start: 31, end: 100).isEmpty)
    }
}
