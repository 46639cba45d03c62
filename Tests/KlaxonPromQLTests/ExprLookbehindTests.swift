import KlaxonPromQL
import Testing

@Suite struct ExprLookbehindTests {
    /// How far back each expression reads with a 5 minute lookback, in milliseconds.
    @Test(arguments: [
        ("1 + 2", Int64(0)),
        ("up", 300_000),
        ("max_over_time(x[1m]) > 1900", 60_000),
        ("rate(x[10m]) / sum(y)", 600_000),
        ("x offset 10m", 900_000),
        ("avg_over_time(x[2h] offset 30m) > bool up", 9_000_000),
        ("rate(x[5m] offset -1m)", 240_000),
        ("x offset -10m", 0),
        ("topk(3, -(up))", 300_000),
    ])
    func readsItsLongestWindowPlusOffset(query: String, expected: Int64) throws {
        #expect(try PromQL.parse(query).lookbehind(lookbackDelta: 300_000) == expected)
    }

    @Test func aHugeOffsetSaturatesInsteadOfOverflowing() throws {
        let expr = try PromQL.parse("x offset 290y")
        #expect(expr.lookbehind(lookbackDelta: .max) == .max)
    }
}
