import KlaxonMetrics
import KlaxonPromQL
import Testing

/// `exp` and `^` give Prometheus's results bit for bit: Go's amd64 `math.Exp` and its `math.Pow`, which are not
/// correctly rounded and differ from the C library's in the last bits (or, for `x ^ 1000`, in many).
@Suite struct GoExpPowTests {
    /// An expression and what Prometheus 2.42 (`promtool test rules`) printed for it.
    struct Case: Sendable, CustomTestStringConvertible {
        var expression: String
        var promtool: Double
        var testDescription: String { expression }
    }

    static let cases: [Case] = [
        Case(expression: "exp(vector(5.43))", promtool: 2.281492454240039E+02),
        // Go rounds into a subnormal once, scaling by 2^(k+1022) and then by 2^-1022.
        Case(expression: "exp(vector(-736.83))", promtool: Double(bitPattern: 2018)),  // 9.97E-321
        // Go's amd64 Exp overflows as soon as 2^k does not fit, below the largest double.
        Case(expression: "exp(vector(709.7))", promtool: .infinity),
        Case(expression: "exp(vector(-0.5))", promtool: 6.065306597126334E-01),
        Case(expression: "exp(vector(1e-10))", promtool: 1.0000000001E+00),
        Case(expression: "exp(vector(100))", promtool: 2.6881171418161356E+43),
        Case(expression: "vector(1.749 ^ 3)", promtool: 5.3501927490000005E+00),
        Case(expression: "vector(1.749 ^ 1000)", promtool: 6.163245661619345E+242),
        Case(expression: "vector(0.9 ^ 1000.5)", promtool: 1.6581762636520043E-46),
        Case(expression: "vector(2 ^ 0.5)", promtool: 1.4142135623730951E+00),
        Case(expression: "vector(10 ^ -3)", promtool: 1E-03),
        Case(expression: "vector(7 ^ 0.3)", promtool: 1.792789962520997E+00),
        Case(expression: "vector((-2) ^ 3)", promtool: -8),
        Case(expression: "vector(1.0001 ^ 123456.75)", promtool: 2.2982139836325587E+05),
        Case(expression: "vector(3 ^ -0.25)", promtool: 7.598356856515925E-01),
        Case(expression: "vector(0.5 ^ 1075)", promtool: 0),
    ]

    private func value(_ query: String) throws -> Double? {
        let expr = try PromQL.parse(query)
        guard case .vector(let elements) = try Evaluator(source: InMemorySeries()).evaluate(expr, at: 0) else {
            return nil
        }
        return elements.first?.value
    }

    @Test(arguments: cases)
    func matchesPrometheusBitForBit(_ row: Case) throws {
        #expect(try value(row.expression)?.bitPattern == row.promtool.bitPattern)
    }

    /// Special cases as promtool 2.42 printed them.
    @Test func powSpecialCasesFollowGo() throws {
        #expect(try value("vector(NaN ^ 0)") == 1)
        #expect(try value("vector(1 ^ NaN)") == 1)
        #expect(try value("vector((-8) ^ (1/3))")?.isNaN == true)
        #expect(try value("vector(0 ^ -1)") == .infinity)
        // Unary minus binds looser than `^`: -(0 ^ -3).
        #expect(try value("vector(-0 ^ -3)") == -.infinity)
        #expect(try value("vector((-0) ^ -3)") == -.infinity)
        #expect(try value("vector((-1) ^ Inf)") == 1)
        #expect(try value("vector(0.5 ^ -Inf)") == .infinity)
        #expect(try value("vector((-Inf) ^ 3)") == -.infinity)
    }
}
