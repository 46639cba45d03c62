import KlaxonConfig
import Testing

@Suite struct PrometheusDurationTests {
    @Test(arguments: [
        ("0", Int64(0)), ("0s", 0), ("100ms", 100), ("10s", 10_000), ("5m", 300_000), ("1h30m", 5_400_000),
        ("1d", 86_400_000), ("1w", 604_800_000), ("1y", 31_536_000_000), ("2h45m30s500ms", 9_930_500),
        ("90d", 7_776_000_000),
    ])
    func parses(text: String, milliseconds: Int64) {
        #expect(PrometheusDuration.parse(text) == milliseconds)
    }

    @Test(arguments: [
        "", "5", "m", "5x", "1m1h", "1s1s", "-5m", "1.5h", " 5m", "5m ", "1ms1s", "99999999999999999999y",
    ])
    func refuses(text: String) {
        #expect(PrometheusDuration.parse(text) == nil)
    }

    /// Prometheus keeps durations as int64 nanoseconds (about 292 years); longer is out of range,
    /// which also keeps sums such as `now + 4 × interval` inside `Int64`.
    @Test func durationsLongerThanPrometheusAllowsAreOutOfRange() {
        #expect(PrometheusDuration.read("106751d23h47m16s854ms") == .success(PrometheusDuration.maxMilliseconds))
        #expect(PrometheusDuration.read("292y") == .success(9_208_512_000_000))
        for text in ["106751d23h47m16s855ms", "293y", "100000000y", "99999999999999999999y", "9223372036854775807ms"] {
            #expect(PrometheusDuration.read(text) == .failure(.outOfRange), "\(text)")
        }
        #expect(PrometheusDuration.read("1h1h") == .failure(.syntax))
    }

    @Test(arguments: [
        (Int64(0), "0s"), (100, "100ms"), (90_000, "1m30s"), (5_400_000, "1h30m"), (86_400_000, "1d"),
        (604_800_000, "1w"), (7_776_000_000, "90d"), (31_536_000_000, "1y"), (1_001, "1s1ms"),
    ])
    func formats(milliseconds: Int64, text: String) {
        #expect(PrometheusDuration.format(milliseconds: milliseconds) == text)
    }

    @Test(arguments: [Int64(1), 999, 61_000, 3_723_004, 691_200_000, 34_560_000_000] as [Int64])
    func formatThenParseRoundTrips(milliseconds: Int64) {
        #expect(PrometheusDuration.parse(PrometheusDuration.format(milliseconds: milliseconds)) == milliseconds)
    }
}
