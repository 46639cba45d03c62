import BenchSupport
import Foundation
import KlaxonRegex

// Label-matcher regexes, Klaxon's engine beside Foundation's (NSRegularExpression, ICU), on
// Prometheus-typical patterns over 10 000 label values. Both match `^(?:pattern)$`, as Prometheus
// anchors matchers; Klaxon through `AnchoredRegex` (what LabelMatcher uses), Foundation through
// `firstMatch(in:range:)` (what LabelMatcher used). Prints matches per second, medians of ROUNDS.

let rounds = Int(ProcessInfo.processInfo.environment["ROUNDS"] ?? "") ?? 15
let valueCount = 10_000

/// A deterministic generator, so every run matches the same values.
struct Generator {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    mutating func next(_ bound: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(bound))
    }
    mutating func values(_ make: (inout Generator) -> String) -> [String] {
        var out: [String] = []
        for _ in 0..<valueCount { out.append(make(&self)) }
        return out
    }
}

var generator = Generator()
let venues = [
    "binance", "okx", "bybit", "kraken", "coinbase", "bitfinex", "huobi", "kucoin", "gateio", "bitstamp", "deribit",
    "bitmex",
]
let bases = ["BTC", "ETH", "SOL", "XRP", "ADA", "DOGE", "AVAX", "DOT", "LINK", "MATIC", "LTC", "TRX", "ATOM", "UNI"]
let quotes = ["USDT", "USDC", "BUSD", "EUR"]
let symbols = bases.flatMap { base in quotes.map { base + $0 } }

struct Case {
    var name: String
    var pattern: String
    var values: [String]
}

let cases = [
    Case(
        name: "venue=~\"binance|okx|bybit\"", pattern: "binance|okx|bybit",
        values: generator.values { g in venues[g.next(venues.count)] + (g.next(4) == 0 ? "-futures" : "") }),
    Case(
        name: "path=~\"/api/v1/.*\"", pattern: "/api/v1/.*",
        values: generator.values { g in
            ["/api/v1/query", "/api/v1/labels/", "/api/v2/alerts/", "/metrics/job/", "/-/healthy"][g.next(5)]
                + String(g.next(100_000))
        }),
    Case(
        name: "msg=~\"(?i).*error.*\"", pattern: "(?i).*error.*",
        values: generator.values { g in
            [
                "order accepted id=", "Order ERROR code=", "connection reset by peer #", "timeout error after ",
                "fill ok qty=",
            ][g.next(5)] + String(g.next(1_000_000))
        }),
    Case(
        name: "symbol=~\"<40 symbols>\"", pattern: symbols.prefix(40).joined(separator: "|"),
        values: generator.values { g in symbols[g.next(symbols.count)] }),
    Case(
        name: "instance=~\"[a-z]+-[0-9]+:[0-9]{2,5}\"", pattern: "[a-z]+-[0-9]+:[0-9]{2,5}",
        values: generator.values { g in
            ["engine", "risk", "gateway", "md"][g.next(4)] + "-" + String(g.next(50))
                + (g.next(3) == 0 ? "" : ":" + String(g.next(70_000)))
        }),
]

func matchesPerSecond(_ values: [String], _ match: (String) -> Bool) -> (rate: Double, matched: Int) {
    var matched = 0
    let times = Timing.measure(repetitions: rounds, warmup: 2) {
        var count = 0
        for value in values where match(value) { count += 1 }
        matched = count
    }
    return (Double(values.count) / Summary(times).median, matched)
}

func foundationRegex(_ pattern: String) -> NSRegularExpression? {
    try? NSRegularExpression(pattern: "^(?:" + pattern + ")$")
}

func foundationMatches(_ regex: NSRegularExpression, _ text: String) -> Bool {
    regex.firstMatch(in: text, range: NSRange(text.startIndex..<text.endIndex, in: text)) != nil
}

print("regex benchmark: \(valueCount) label values per pattern, median of \(rounds) rounds")
print("pattern | Klaxon matches/s | Foundation matches/s | Klaxon / Foundation | matched")
for testCase in cases {
    guard let klaxon = try? AnchoredRegex(testCase.pattern), let foundation = foundationRegex(testCase.pattern) else {
        print("\(testCase.name) | does not compile")
        continue
    }
    let ours = matchesPerSecond(testCase.values) { klaxon.matches($0) }
    let theirs = matchesPerSecond(testCase.values) { foundationMatches(foundation, $0) }
    let agree = ours.matched == theirs.matched ? "\(ours.matched)" : "DISAGREE \(ours.matched)/\(theirs.matched)"
    print(
        "\(testCase.name) | \(Format.grouped(ours.rate)) | \(Format.grouped(theirs.rate)) | "
            + "\(Format.fixed(ours.rate / theirs.rate, 1))x | \(agree)")
}

// `(a+)+b` on values of a's that never match: linear for Klaxon, exponential for a backtracker.
print("")
print("v=~\"(a+)+b\" on \"aaa…ac\": time per match (a backtracker doubles per extra a)")
print("length | Klaxon | ns/byte | Foundation")
let redos = "(a+)+b"
if let klaxon = try? AnchoredRegex(redos), let foundation = foundationRegex(redos) {
    var foundationGaveUp = false
    for length in [8, 16, 20, 24, 1_000, 10_000, 100_000] {
        let value = String(repeating: "a", count: length) + "c"
        let ours = Summary(Timing.measure(repetitions: 5, warmup: 1) { _ = klaxon.matches(value) }).median
        var theirsText = "skipped (slower than 2 s before)"
        if !foundationGaveUp {
            let theirs = Summary(Timing.measure(repetitions: 1, warmup: 0) { _ = foundationMatches(foundation, value) })
                .median
            theirsText = Format.micros(theirs)
            if theirs > 2 { foundationGaveUp = true }
        }
        print(
            "\(length) | \(Format.micros(ours)) | \(Format.fixed(ours * 1e9 / Double(length + 1), 1)) | \(theirsText)")
    }
}
