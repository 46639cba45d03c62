import KlaxonMetrics
import KlaxonPromQL
import Testing

/// `ln`, `log2` and `log10` give Prometheus's results bit for bit, including where the C library's
/// differ from Go's `math.Log` in the last bit.
@Suite struct GoLogarithmTests {
    /// An input and what Prometheus 2.42 (`promtool test rules`) returned for it from ln, log2 and log10.
    struct Case: Sendable, CustomTestStringConvertible {
        var input: String
        var ln: Double
        var log2: Double
        var log10: Double
        var testDescription: String { input }
    }

    static let cases: [Case] = [
        Case(input: "6.75", ln: 1.9095425048844383, log2: 2.7548875021634687, log10: 0.8293037728310249),
        Case(input: "0.1", ln: -2.3025850929940455, log2: -3.321928094887362, log10: -0.9999999999999999),
        Case(input: "3", ln: 1.0986122886681096, log2: 1.5849625007211563, log10: 0.4771212547196624),
        Case(input: "1e-300", ln: -690.7755278982137, log2: -996.5784284662087, log10: -300),
        Case(input: "123456.789", ln: 11.723646487185881, log2: 16.913646648198387, log10: 5.091514977169271),
        Case(input: "0.7", ln: -0.35667494393873245, log2: -0.5145731728297583, log10: -0.1549019599857432),
        Case(input: "1.5", ln: 0.4054651081081644, log2: 0.5849625007211563, log10: 0.17609125905568124),
        Case(input: "2.5e-320", ln: -709.089565712823, log2: -1061.6950783304183, log10: -307.9536855642523),
        Case(input: "1e300", ln: 690.7755278982137, log2: 996.5784284662087, log10: 300),
        Case(input: "10", ln: 2.302585092994046, log2: 3.321928094887362, log10: 1),
        Case(input: "1000", ln: 6.907755278982137, log2: 9.965784284662087, log10: 3),
        Case(input: "0.3", ln: -1.2039728043259361, log2: -1.736965594166206, log10: -0.5228787452803376),
    ]

    private func value(_ function: String, _ input: String) throws -> Double? {
        let expr = try PromQL.parse("\(function)(vector(\(input)))")
        guard case .vector(let elements) = try Evaluator(source: InMemorySeries()).evaluate(expr, at: 0) else {
            return nil
        }
        return elements.first?.value
    }

    @Test(arguments: cases)
    func matchesPrometheusBitForBit(_ row: Case) throws {
        #expect(try value("ln", row.input)?.bitPattern == row.ln.bitPattern)
        #expect(try value("log2", row.input)?.bitPattern == row.log2.bitPattern)
        #expect(try value("log10", row.input)?.bitPattern == row.log10.bitPattern)
    }

    @Test func specialValuesFollowGo() throws {
        #expect(try value("ln", "0") == -.infinity)
        #expect(try value("log2", "0") == -.infinity)
        #expect(try value("ln", "-1")?.isNaN == true)
        #expect(try value("log10", "-1")?.isNaN == true)
        #expect(try value("log2", "-10")?.isNaN == true)
        #expect(try value("ln", "+Inf") == .infinity)
        #expect(try value("ln", "NaN")?.isNaN == true)
        #expect(try value("log2", "1024") == 10)
        #expect(try value("log2", "0.125") == -3)
    }
}
