import Foundation
import KlaxonMetrics
import KlaxonRuntime
import KlaxonTestSupport
import Testing

@testable import KlaxonPromQL

/// Klaxon's ports of Go's `math` functions PromQL calls (exp, logarithms, trigonometric and hyperbolic ones and
/// their inverses, `Atan2`, `Pow`), of `sort.Sort` and
/// of Prometheus 2.42's `topk`/`bottomk` heap, against Go 1.19 itself (`Tests/Peers/gomath/main.go`; Prometheus
/// 2.42 is built with Go 1.19) on tens of thousands of seeded inputs: every result bit for bit, every order
/// index for index.
@Suite(.enabled(if: Executables.shouldRun(needing: .go), "go is not installed"))
struct GoPeerMathTests {
    static let specials: [Double] = [
        0, -0.0, .infinity, -.infinity, .nan, 1, -1, 0.5, 2, .leastNonzeroMagnitude, .leastNormalMagnitude,
        .greatestFiniteMagnitude, 709.78, 709.79, -745.13, -745.14, -708.4, 1e-300, 3, -3, 0.1,
    ]

    private static func hex(_ value: Double) -> String {
        let text = String(value.bitPattern, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    /// Runs the Go peer over `lines`, one answer per line.
    private static func go(_ lines: [String]) async throws -> [Substring] {
        let go = try Executables.require(.go)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gomath-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = Executables.packageRoot.appendingPathComponent("Tests/Peers/gomath/main.go")
        let binary = directory.appendingPathComponent("gomath")
        let compiler = try PeerProcess(
            executable: go, arguments: ["build", "-o", binary.path, source.path],
            environment: ["GO111MODULE": "off", "GOCACHE": directory.appendingPathComponent("cache").path])
        let built = try await compiler.waitForExit(timeout: .seconds(300))
        try #require(built == .exited(0), "go build of gomath: \(compiler.standardError)")
        let input = Array((lines.joined(separator: "\n") + "\n").utf8)
        let process = try PeerProcess(executable: binary, arguments: [], standardInput: input)
        let status = try await process.waitForExit(timeout: .seconds(120))
        #expect(status == .exited(0), "\(process.standardError)")
        return process.standardOutput.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { $0 }
    }

    @Test func mathFunctionsMatchGoBitForBit() async throws {
        var random = SplitMix64(seed: 20_261_205)
        var lines: [String] = []
        var klaxon: [String] = []
        // Any NaN is NaN to PromQL (Go's has another payload than Swift's).
        func add(_ line: String, _ value: Double) {
            lines.append(line)
            klaxon.append(value.isNaN ? "NaN" : Self.hex(value))
        }
        var inputs = Self.specials
        for _ in 0..<6000 { inputs.append(Double.random(in: -750...712, using: &random)) }
        for _ in 0..<2000 { inputs.append(Double.random(in: -2...2, using: &random)) }
        for x in inputs { add("exp \(Self.hex(x))", GoMath.exp(x)) }
        var positives = Self.specials
        for _ in 0..<6000 {
            // Every exponent, subnormals included.
            positives.append(Double(bitPattern: UInt64.random(in: 1..<0x7FF0_0000_0000_0000, using: &random)))
        }
        for x in positives {
            add("log \(Self.hex(x))", GoMath.log(x))
            add("log2 \(Self.hex(x))", GoMath.log2(x))
            add("log10 \(Self.hex(x))", GoMath.log10(x))
        }
        var angles = Self.specials + [.pi, -.pi / 2, 0x1p29, 0x1p29 - 1, 1e22]
        for _ in 0..<4000 { angles.append(Double.random(in: -10...10, using: &random)) }
        for _ in 0..<2000 { angles.append(Double.random(in: -1e9...1e9, using: &random)) }
        for _ in 0..<2000 {
            // Payne–Hanek territory: every exponent above 2^29.
            let bits = UInt64.random(in: 0x41C0_0000_0000_0000..<0x7FF0_0000_0000_0000, using: &random)
            angles.append(Double(bitPattern: bits))
        }
        for x in angles {
            add("sin \(Self.hex(x))", GoMath.sin(x))
            add("cos \(Self.hex(x))", GoMath.cos(x))
            add("tan \(Self.hex(x))", GoMath.tan(x))
        }
        var arguments = Self.specials + [0.7, -0.7, 0.625, 21, -21, 44.01, 2, 0x1p28, 0x1p-28, 0.5, -0.5, 0.66, 2.5]
        for _ in 0..<3000 { arguments.append(Double.random(in: -1.2...1.2, using: &random)) }
        for _ in 0..<3000 { arguments.append(Double.random(in: -50...50, using: &random)) }
        for _ in 0..<1000 {
            let bits = UInt64.random(in: 0..<0x7FF0_0000_0000_0000, using: &random)
            arguments.append(Bool.random(using: &random) ? Double(bitPattern: bits) : -Double(bitPattern: bits))
        }
        let unary: [(String, (Double) -> Double)] = [
            ("log1p", GoMath.log1p), ("asin", GoMath.asin), ("acos", GoMath.acos), ("atan", GoMath.atan),
            ("sinh", GoMath.sinh), ("cosh", GoMath.cosh), ("tanh", GoMath.tanh), ("asinh", GoMath.asinh),
            ("acosh", GoMath.acosh), ("atanh", GoMath.atanh),
        ]
        for x in arguments {
            for (name, function) in unary { add("\(name) \(Self.hex(x))", function(x)) }
        }
        for y in Self.specials {
            for x in Self.specials { add("atan2 \(Self.hex(y)) \(Self.hex(x))", GoMath.atan2(y, x)) }
        }
        for _ in 0..<3000 {
            let (y, x) = (Double.random(in: -100...100, using: &random), Double.random(in: -100...100, using: &random))
            add("atan2 \(Self.hex(y)) \(Self.hex(x))", GoMath.atan2(y, x))
        }
        var pairs: [(Double, Double)] = []
        for x in Self.specials { for y in Self.specials + [-0.5, 1000, -1075, 1e19] { pairs.append((x, y)) } }
        for _ in 0..<12000 {
            let x =
                Bool.random(using: &random)
                ? Double.random(in: -20...20, using: &random) : Double(Int.random(in: -10...10, using: &random))
            let y: Double
            switch Int.random(in: 0..<4, using: &random) {
            case 0: y = Double(Int.random(in: -40...1100, using: &random))
            case 1: y = Double(Int.random(in: -40...40, using: &random)) + 0.5
            case 2: y = Double.random(in: -8...8, using: &random)
            default: y = Double.random(in: -400...400, using: &random)
            }
            pairs.append((x, y))
        }
        for (x, y) in pairs { add("pow \(Self.hex(x)) \(Self.hex(y))", GoMath.pow(x, y)) }

        let answers = try await Self.go(lines).map { answer in
            UInt64(answer, radix: 16).map { Double(bitPattern: $0).isNaN } == true ? "NaN" : String(answer)
        }
        #expect(answers.count == lines.count)
        let differing = zip(lines, zip(answers, klaxon)).filter { $0.1.0 != $0.1.1 }
        let shown = differing.prefix(10).map { "\($0.0): go \($0.1.0), klaxon \($0.1.1)" }.joined(separator: "\n")
        #expect(differing.count == 0, "\(differing.count) of \(lines.count) differ:\n\(shown)")
    }

    @Test func sortAndTopkOrderMatchGo() async throws {
        var random = SplitMix64(seed: 42)
        var lines: [String] = []
        var klaxon: [String] = []
        let pool: [Double] = [1, 2, 2, 3, .nan, -1, 0, -0.0, .infinity, 5, 5, 5]
        for round in 0..<1500 {
            let count = Int.random(in: 1...(round % 3 == 0 ? 120 : 30), using: &random)
            let values = (0..<count).map { _ in
                Bool.random(using: &random)
                    ? pool.randomElement(using: &random) ?? 0
                    : Double(Int.random(in: 0...6, using: &random))
            }
            let elements = values.enumerated().map {
                VectorElement(labels: Labels([Label("i", String($0.offset))]), value: $0.element)
            }
            let list = values.map(Self.hex).joined(separator: ",")
            func order(_ result: [VectorElement]) -> String {
                result.map { $0.labels.first?.value ?? "?" }.joined(separator: ",")
            }
            let descending = Bool.random(using: &random)
            lines.append("sort \(descending ? "desc" : "asc") \(list)")
            klaxon.append(order(Evaluator.sorted(elements, descending: descending)))
            let k = Int.random(in: 1...15, using: &random)
            let top = Bool.random(using: &random)
            lines.append("\(top ? "topk" : "bottomk") \(k) \(list)")
            klaxon.append(order(Evaluator.selectK(elements, k: Int64(k), top: top)))
        }
        let answers = try await Self.go(lines)
        #expect(answers.count == lines.count)
        let differing = zip(lines, zip(answers, klaxon)).filter { $0.1.0 != $0.1.1 }
        let shown = differing.prefix(5).map { "\($0.0.prefix(60))...: go \($0.1.0), klaxon \($0.1.1)" }
        #expect(differing.count == 0, "\(differing.count) of \(lines.count) differ:\n\(shown.joined(separator: "\n"))")
    }
}
