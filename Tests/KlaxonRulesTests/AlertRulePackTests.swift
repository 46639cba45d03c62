import Foundation
import KlaxonMetrics
import KlaxonPromQL
import KlaxonRules
import KlaxonTestSupport
import Testing

/// Klaxon's own rule pack: it loads under Klaxon's policy, promtool accepts it, and every test
/// file under `alert-rules/tests/` gets the same verdict from Klaxon and from promtool.
@Suite struct AlertRulePackTests {
    static let ruleFiles = Conformance.ruleFiles(in: "alert-rules")
    static let testFiles = Conformance.ruleFiles(in: "alert-rules/tests")
    static let mustFail = Conformance.ruleFiles(in: "alert-rules/tests/must-fail")

    @Test func packIsPresent() {
        #expect(Self.ruleFiles.count >= 2)
        #expect(Self.testFiles.count >= 5)
        #expect(Self.mustFail.count >= 5)
    }

    @Test(arguments: ruleFiles)
    func ruleFileLoadsUnderKlaxonsPolicy(path: String) throws {
        let file = try RuleFileLoader.load(path: path)
        for group in file.groups {
            for rule in group.rules {
                guard case .alerting(let alert) = rule.kind else { continue }
                let labels = alert.rawLabels
                #expect(labels["source"] != nil, "\(alert.name) has no source label")
                #expect(labels["rule_id"] != nil, "\(alert.name) has no rule_id label")
                #expect(alert.annotations.contains { $0.name == "summary" }, "\(alert.name) has no summary")
            }
        }
    }

    @Test(.enabled(if: PromtoolVerdict.available, "promtool is not installed"), arguments: ruleFiles)
    func promtoolChecksRuleFileClean(path: String) async throws {
        let process = try PeerProcess(
            executable: try Executables.require(.promtool), arguments: ["check", "rules", path])
        #expect(try await process.waitForExit(timeout: .seconds(60)) == .exited(0), "\(process.standardError)")
        #expect(process.standardError.isEmpty, "\(process.standardError)")
    }

    @Test func packCoversTheTwelveIncidents() throws {
        let ids = try Self.ruleIDs()
        let incidents = [
            "D75.SYSTEM.REDIS_CONNECTION_LOST", "D75.SYSTEM.ENGINE_LATENCY", "D75.RISK_GUARD.GLOBAL_BLOCK",
            "D75.SYSTEM.WS_RECONNECT_STORM", "D75.RATE_LIMITER.LOW_REMAINING", "D75.RATE_LIMITER.HTTP_429",
            "D75.HEALTH.DOWN", "D75.ARB_UNIVERSE.ALL_SKIP", "D75.CROSS_SYNC.HIGH_IMBALANCE",
            "D75.SYSTEM.STATE_SAVE_FAILED", "D75.HEALTH.FROZEN", "D75.CROSS_SYNC.HIGH_EXPOSURE",
        ]
        #expect(Set(incidents).isSubset(of: Set(ids)), "missing: \(Set(incidents).subtracting(ids))")
    }

    @Test func packCoversTheAlertMatrix() throws {
        let ids = try Self.ruleIDs()
        let matrix = [
            "RISK.KILL_SWITCH", "RISK.DAILY_STOP_LOSS", "RISK.WEEKLY_STOP_LOSS", "RISK.MAX_DRAWDOWN",
            "RISK.RECONCILE_MISMATCH", "RISK.EMPTY_UNIVERSE",
        ]
        #expect(Set(matrix).isSubset(of: Set(ids)), "missing: \(Set(matrix).subtracting(ids))")
    }

    /// The `rule_id` of every alerting rule of the pack.
    private static func ruleIDs() throws -> [String] {
        try ruleFiles.flatMap { try RuleFileLoader.load(path: $0).groups }.flatMap(\.rules)
            .compactMap { rule -> String? in
                guard case .alerting(let alert) = rule.kind else { return nil }
                return alert.rawLabels["rule_id"]
            }
    }

    /// Every alert's `runbook` annotation links a section of docs/runbook.md that exists, by the
    /// anchor a Markdown renderer gives its heading.
    @Test func everyAlertLinksARunbookSectionThatExists() throws {
        let runbook = try String(
            contentsOf: Executables.packageRoot.appendingPathComponent("docs/runbook.md"), encoding: .utf8)
        let anchors = Set(
            runbook.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { heading in
                String(
                    heading.dropFirst(3).lowercased().filter { $0.isLetter || $0.isNumber || $0 == " " || $0 == "-" }
                        .map { $0 == " " ? "-" : $0 })
            })
        var checked = 0
        for path in Self.ruleFiles {
            for group in try RuleFileLoader.load(path: path).groups {
                for rule in group.rules {
                    guard case .alerting(let alert) = rule.kind else { continue }
                    let link = try #require(
                        alert.annotations.first { $0.name == "runbook" }, "\(alert.name) has no runbook"
                    ).template.text
                    #expect(link.hasPrefix("docs/runbook.md#"), "\(alert.name): \(link)")
                    let anchor = String(link.drop { $0 != "#" }.dropFirst())
                    #expect(anchors.contains(anchor), "\(alert.name): no heading in docs/runbook.md makes #\(anchor)")
                    checked += 1
                }
            }
        }
        #expect(checked >= 25)
    }

    // MARK: - Tests of the pack

    @Test(arguments: testFiles)
    func klaxonPassesTestFile(path: String) async throws {
        let report = try await PromtoolVerdict.klaxon(path)
        #expect(report.passed, "\(report.failures.joined(separator: "\n"))")
        #expect(report.warnings.isEmpty, "\(report.warnings)")
    }

    @Test(arguments: mustFail)
    func klaxonFailsMustFailFile(path: String) async throws {
        #expect(!(try await PromtoolVerdict.klaxon(path).passed))
    }

    @Test(.enabled(if: PromtoolVerdict.available, "promtool is not installed"), arguments: testFiles + mustFail)
    func promtoolGivesTheSameVerdictAndText(path: String) async throws {
        let promtool = try await PromtoolVerdict.test(path)
        let report = try await PromtoolVerdict.klaxon(path)
        #expect(promtool.passed == report.passed, "promtool: \(promtool.standardError)")
        // Test failures read the same; rule-file errors are worded by each tool's own parser.
        if !report.failures.contains(where: { $0.contains("could not parse expression") }) {
            #expect(report.promtoolOutput.standardError == promtool.standardError)
        }
    }

    // MARK: - Coverage of the subset

    @Test func testFilesExerciseEveryFunctionAndOperator() throws {
        var texts: [String] = []
        for path in Self.testFiles + Self.ruleFiles + Conformance.ruleFiles(in: "alert-rules/tests/rules") {
            let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
            for line in lines {
                guard let range = line.range(of: "expr: ") else { continue }
                var text = line[range.upperBound...].trimmingCharacters(in: .whitespaces)
                if text.hasSuffix(",") { text.removeLast() }
                if text.hasPrefix("'") && text.hasSuffix("'") { text = String(text.dropFirst().dropLast()) }
                texts.append(text.components(separatedBy: "', eval_time")[0])
            }
        }
        var used = ExprCoverage()
        for text in texts {
            guard let expr = try? PromQL.parse(text) else { continue }
            used.visit(expr)
        }
        let functions = Set(Function.allCases.map(\.rawValue)).subtracting(used.functions)
        let aggregations = Set(AggregateOperator.allCases.map(\.rawValue)).subtracting(used.aggregations)
        let operators = Set(BinaryOperator.allCases.map(\.rawValue)).subtracting(used.operators)
        #expect(functions.isEmpty, "functions never tested: \(functions.sorted())")
        #expect(aggregations.isEmpty, "aggregations never tested: \(aggregations.sorted())")
        #expect(operators.isEmpty, "operators never tested: \(operators.sorted())")
        #expect(
            used.modifiers.isSuperset(of: [
                "bool", "on", "ignoring", "group_left", "group_right", "offset", "negation", "@", "subquery",
                "subquery step",
            ]),
            "modifiers tested: \(used.modifiers.sorted())")
    }
}

/// The functions, operators and modifiers an expression uses.
struct ExprCoverage {
    var functions: Set<String> = []
    var aggregations: Set<String> = []
    var operators: Set<String> = []
    var modifiers: Set<String> = []

    mutating func visit(_ expr: Expr) {
        switch expr {
        case .number, .string: break
        case .vectorSelector(let selector), .matrixSelector(let selector, _):
            if selector.offset != 0 { modifiers.insert("offset") }
            if selector.at != nil { modifiers.insert("@") }
        case .subquery(let subquery):
            modifiers.insert(subquery.step == nil ? "subquery" : "subquery step")
            if subquery.offset != 0 { modifiers.insert("offset") }
            if subquery.at != nil { modifiers.insert("@") }
            visit(subquery.expr)
        case .negation(let inner):
            modifiers.insert("negation")
            visit(inner)
        case .paren(let inner): visit(inner)
        case .binary(let binary):
            operators.insert(binary.op.rawValue)
            if binary.returnBool { modifiers.insert("bool") }
            if let matching = binary.matching, matching.explicit {
                modifiers.insert(matching.on ? "on" : "ignoring")
                if matching.cardinality == .manyToOne { modifiers.insert("group_left") }
                if matching.cardinality == .oneToMany { modifiers.insert("group_right") }
            }
            visit(binary.lhs)
            visit(binary.rhs)
        case .aggregate(let aggregate):
            aggregations.insert(aggregate.op.rawValue)
            if let parameter = aggregate.parameter { visit(parameter) }
            visit(aggregate.body)
        case .call(let call):
            functions.insert(call.function.rawValue)
            for arg in call.args { visit(arg) }
        }
    }
}
