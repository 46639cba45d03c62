import Foundation
import KlaxonMetrics
import KlaxonPromQL
import KlaxonServer
import Testing

@Suite struct QueryResultJSONTests {
    /// Values as Go's `strconv.FormatFloat(v, 'f', -1, 64)` prints them in Prometheus's API.
    @Test(arguments: [
        (0.1, "0.1"), (42, "42"), (-2.5, "-2.5"), (100, "100"), (0.000123, "0.000123"), (1e-7, "0.0000001"),
        (1e21, "1000000000000000000000"), (123_456_789.123, "123456789.123"), (0.0025, "0.0025"),
        (1.5e300, "15" + String(repeating: "0", count: 299)),
        (Double.leastNonzeroMagnitude, "0." + String(repeating: "0", count: 323) + "5"),
        (Double.nan, "NaN"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (0, "0"),
    ])
    func valuesArePrintedAsPrometheusPrintsThem(value: Double, expected: String) {
        #expect(QueryResultJSON.formatValue(value) == expected)
    }

    @Test func formattedValuesReadBackToTheSameDouble() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let value = Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF)
            let text = QueryResultJSON.formatValue(value)
            #expect(Double(text) == value, "\(value) printed as \(text)")
            #expect(!text.contains("e"))
        }
    }

    @Test func vectorResultHasPrometheusShape() throws {
        let element = VectorElement(labels: Labels(["__name__": "up", "job": "a\"b"]), value: 1)
        let body = QueryResultJSON.success(.vector([element]), at: 1_700_000_000_120)
        let text = String(decoding: body, as: UTF8.self)
        #expect(
            text == #"{"status":"success","data":{"resultType":"vector","result":"#
                + #"[{"metric":{"__name__":"up","job":"a\"b"},"value":[1700000000.12,"1"]}]}}"#)
    }

    @Test func scalarAndMatrixResults() throws {
        let scalar = String(decoding: QueryResultJSON.success(.scalar(-0.5), at: 1_000), as: UTF8.self)
        #expect(scalar == #"{"status":"success","data":{"resultType":"scalar","result":[1,"-0.5"]}}"#)
        let series = SeriesSamples(
            labels: Labels(["__name__": "x"]),
            samples: [Sample(timestamp: 1_005, value: 1), Sample(timestamp: 2_000, value: 2)])
        let matrix = String(decoding: QueryResultJSON.success(.matrix([series]), at: 2_000), as: UTF8.self)
        #expect(
            matrix == #"{"status":"success","data":{"resultType":"matrix","result":"#
                + #"[{"metric":{"__name__":"x"},"values":[[1.005,"1"],[2,"2"]]}]}}"#)
    }

    @Test func errorsEscapeTheirMessage() throws {
        let body = QueryResultJSON.error(type: "bad_data", message: "line\n\"quoted\"\u{01}")
        let object = try JSONSerialization.jsonObject(with: Data(body)) as? [String: String]
        #expect(object == ["status": "error", "errorType": "bad_data", "error": "line\n\"quoted\"\u{01}"])
    }
}
