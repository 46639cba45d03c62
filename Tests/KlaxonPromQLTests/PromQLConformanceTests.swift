import Foundation
import KlaxonMetrics
import KlaxonPromQL
import Testing

/// Runs Prometheus's own PromQL test files (read in place from the shared conformance folder).
@Suite struct PromQLConformanceTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/conformance/promql").standardized

    static let files: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".test") }.sorted()
    }()

    @Test func conformanceFilesArePresent() {
        #expect(
            PromQLConformanceTests.files.count >= 10, "no PromQL test files under \(PromQLConformanceTests.folder.path)"
        )
    }

    @Test(arguments: PromQLConformanceTests.files)
    func everyCasePasses(file: String) throws {
        let text = try String(contentsOf: PromQLConformanceTests.folder.appendingPathComponent(file), encoding: .utf8)
        let report = try PromQLConformanceRunner.run(text)
        for failure in report.failures {
            Issue.record("\(file):\(failure)")
        }
        print("promql conformance \(file): \(report.passed) of \(report.total) passed, \(report.failures.count) failed")
        #expect(report.total > 0)
        #expect(report.passed + report.failures.count == report.total)
    }
}

/// Executes a parsed test script against an in-memory source and the evaluator.
struct PromQLConformanceRunner {
    struct Report {
        var total = 0
        var passed = 0
        var failures: [String] = []
    }

    static func run(_ text: String) throws -> Report {
        var report = Report()
        var storage = InMemorySeries()
        for command in try PromQLTestScript.parse(text) {
            switch command {
            case .clear:
                storage.removeAll()
            case .load(let step, let series):
                for description in series { storage.load(description, step: step) }
            case .eval(let testCase):
                report.total += 1
                switch check(testCase, storage) {
                case .passed: report.passed += 1
                case .failed(let why): report.failures.append("\(testCase.line): \(testCase.query): \(why)")
                }
            }
        }
        return report
    }

    enum Outcome {
        case passed
        case failed(String)
    }

    static func check(_ testCase: PromQLTestCase, _ storage: InMemorySeries) -> Outcome {
        let expr: Expr
        do {
            expr = try PromQL.parse(testCase.query)
        } catch {
            if case .fail = testCase.expectation { return .passed }
            return .failed("parse error: \(error)")
        }
        let result: QueryValue
        do {
            result = try Evaluator(source: storage).evaluate(expr, at: testCase.time)
        } catch {
            if case .fail = testCase.expectation { return .passed }
            return .failed("evaluation error: \(error)")
        }
        switch (testCase.expectation, result) {
        case (.fail, _):
            return .failed("expected an error, got \(result)")
        case (.scalar(let expected), .scalar(let value)):
            return almostEqual(expected, value) ? .passed : .failed("expected \(expected), got \(value)")
        case (.vector(let expected, let ordered), .vector(let elements)):
            return compare(expected, elements, ordered: ordered)
        case (.vector(let expected, _), .scalar(let value)) where expected.isEmpty:
            return .failed("expected an empty vector, got scalar \(value)")
        default:
            return .failed("expected \(testCase.expectation), got \(result)")
        }
    }

    static func compare(_ expected: [(labels: Labels, value: Double)], _ actual: [VectorElement], ordered: Bool)
        -> Outcome
    {
        var wanted: [Labels: (position: Int, value: Double)] = [:]
        for (position, element) in expected.enumerated() { wanted[element.labels] = (position, element.value) }
        var seen: Set<Labels> = []
        for (position, element) in actual.enumerated() {
            guard let match = wanted[element.labels] else {
                return .failed("unexpected metric \(element.labels) in result")
            }
            if ordered && match.position != position {
                return .failed(
                    "expected \(element.labels) at position \(match.position + 1) but it was at \(position + 1)")
            }
            if !almostEqual(match.value, element.value) {
                return .failed("expected \(match.value) for \(element.labels) but got \(element.value)")
            }
            seen.insert(element.labels)
        }
        if let missing = expected.first(where: { !seen.contains($0.labels) }) {
            return .failed("expected metric \(missing.labels) with \(missing.value) not found")
        }
        return .passed
    }

    /// Prometheus's test tolerance: equal, both NaN, or a relative difference below 1e-6.
    static func almostEqual(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN && b.isNaN { return true }
        if a == b { return true }
        let minNormal = Double.leastNormalMagnitude
        let diff = abs(a - b)
        if a == 0 || b == 0 || diff < minNormal { return diff < 0.000001 * minNormal }
        return diff / (abs(a) + abs(b)) < 0.000001
    }
}
