import KlaxonMetrics
import KlaxonPromQL
import Testing

/// `match[]` selectors read as Prometheus 2.42's `ParseMetricSelector` reads them (its texts were
/// taken from a real 2.42 answering `/api/v1/series`).
@Suite struct MetricSelectorTests {
    @Test(arguments: [
        ("up", 1), ("up{}", 1), ("{__name__=\"up\"}", 1), ("up{a=\"b\",}", 2), ("{a!=\"\"}", 1), ("sum", 1),
        ("by{a=\"b\"}", 2), ("offset", 1), ("{}", 0), ("{a=~\"\"}", 1),
    ])
    func selectorsParseToTheirMatchers(text: String, count: Int) throws {
        #expect(try PromQL.parseMetricSelector(text).count == count)
    }

    @Test(arguments: [
        ("rate(x[5m])", "1:5: parse error: unexpected \"(\""),
        ("up offset 5m", "1:4: parse error: unexpected <offset>"),
        ("up[5m]", "1:3: parse error: unexpected \"[\""),
        ("up + 1", "1:4: parse error: unexpected <op:+>"),
        ("1", "1:1: parse error: unexpected number \"1\""),
        ("on", "1:1: parse error: unexpected <on>"),
        ("up{a=\"b\"} x", "1:11: parse error: unexpected identifier \"x\""),
        ("\"up\"", "1:1: parse error: unexpected string \"\\\"up\\\"\""),
        ("{a=~\"x\"} or {b=\"y\"}", "1:10: parse error: unexpected <op:or>"),
        ("up}", "1:3: parse error: unexpected character: '}'"),
    ])
    func anythingButASelectorIsRefusedAtItsFirstForeignToken(text: String, message: String) {
        #expect(throws: PromQLError.self) { try PromQL.parseMetricSelector(text) }
        do {
            _ = try PromQL.parseMetricSelector(text)
        } catch {
            #expect(error.description == message)
        }
    }
}
