import Foundation
import Testing

import KlaxonMetrics

@Suite struct ExpositionNumbersTests {
    /// Expected strings are what Go's `strconv.FormatFloat(f, 'g', -1, 64)` prints (Prometheus's writer).
    @Test(arguments: [
        (1.0, "1"), (-1.0, "-1"), (0.0, "0"), (1.5, "1.5"), (100.0, "100"), (999_999.0, "999999"),
        (1_000_000.0, "1e+06"), (1_234_567.0, "1.234567e+06"), (123_456.7, "123456.7"), (12_345_678.9, "1.23456789e+07"),
        (0.0001, "0.0001"), (0.00001, "1e-05"), (0.000123, "0.000123"), (-1e-7, "-1e-07"), (0.1, "0.1"),
        (3.141592653589793, "3.141592653589793"), (1e21, "1e+21"), (1e100, "1e+100"), (Double.leastNonzeroMagnitude, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"),
        (Double.nan, "NaN"), (0.30000000000000004, "0.30000000000000004"), (-123.25, "-123.25"), (2.5e-5, "2.5e-05"),
    ])
    func textFloatMatchesGo(value: Double, expected: String) {
        var out: [UInt8] = []
        ExpositionNumbers.appendTextFloat(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test(arguments: [
        (1.0, "1.0"), (0.0, "0.0"), (-1.0, "-1.0"), (5.0, "5.0"), (1.5, "1.5"), (1_000_000.0, "1e+06"),
        (Double.infinity, "+Inf"), (Double.nan, "NaN"), (123_456.0, "123456.0"), (1e-05, "1e-05"),
    ])
    func openMetricsFloatKeepsAFractionOnIntegers(value: Double, expected: String) {
        var out: [UInt8] = []
        ExpositionNumbers.appendOpenMetricsFloat(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test func everyFormattedFloatReadsBackExactly() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let value = Double(bitPattern: generator.next())
            guard value.isFinite else { continue }
            var out: [UInt8] = []
            ExpositionNumbers.appendTextFloat(value, to: &out)
            let text = String(decoding: out, as: UTF8.self)
            #expect(Double(text)?.bitPattern == (value == 0 ? 0.0 : value).bitPattern, "\(value) rendered as \(text)")
        }
    }

    @Test(arguments: [
        (Int64(1_700_000_000_123), "1700000000.123"), (1_700_000_000_100, "1700000000.1"), (1_700_000_000_000, "1700000000"),
        (-1_500, "-1.5"), (5, "0.005"), (0, "0"),
    ])
    func openMetricsTimestampsAreExactSeconds(milliseconds: Int64, expected: String) {
        var out: [UInt8] = []
        ExpositionNumbers.appendOpenMetricsTimestamp(milliseconds: milliseconds, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test(arguments: [Int64.min, -42, 0, 7, 1_234_567_890_123, Int64.max])
    func integersPrintInDecimal(value: Int64) {
        var out: [UInt8] = []
        ExpositionNumbers.appendInteger(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == String(value))
    }
}

@Suite struct ExpositionNumbersShortestTests {
    /// In Go's plain range (1e-4 ≤ |x| < 1e6) Go, Python's repr and Swift's description all print the
    /// shortest round-trip digits, so the decimal fast path must agree with Swift's digit generator.
    @Test func decimalFastPathAgreesWithTheShortestDigits() {
        var generator = SystemRandomNumberGenerator()
        for round in 0..<50_000 {
            let value: Double
            if round % 2 == 0 {
                let decimals = Int.random(in: 1...9, using: &generator)
                value = Double(Int64.random(in: -999_999_999...999_999_999, using: &generator)) / pow(10, Double(decimals))
            } else {
                value = Double.random(in: 1e-4..<1e6, using: &generator)
            }
            guard value.magnitude >= 1e-4, value.magnitude < 1e6, value != value.rounded(.towardZero) else { continue }
            var out: [UInt8] = []
            ExpositionNumbers.appendTextFloat(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == value.description)
        }
    }
}
