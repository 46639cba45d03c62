import Foundation
import KlaxonServer
import KlaxonTestSupport
import Testing

/// `klaxon check rules` refuses exactly the label-matcher regexes `promtool check rules` refuses,
/// with the same position in the expression and Go's words.
@Suite struct RegexRefusalPeerTests {
    /// Valid and invalid patterns, one rule each; none holds a backtick (they go in PromQL raw strings).
    static let patterns = [
        // Refused by Go's regexp/syntax.
        "a(b", "a)b", "(", ")", "[a", "[z-a]", "a**", "a++", "a*?*", "*a", "+", "?", "{1}", "x{1001}", "x{2,1}",
        "x{1,1001}", "(?:[a-z]{4}){0,251}", #"a\1"#, #"\8"#, #"\Z"#, #"\C"#, #"\q"#, #"\x{110000}"#, #"\xZ1"#,
        #"\p{Klingon}"#, #"\pX"#, "[[:foo:]]", "(?=a)", "(?!a)", "(?<=a)", "(?<!a)", "(?<name>a)", "(?P<n!>a)",
        "(?P<>a)", "(?P<name", "(?i-)a", "(?--i)a", "(?x)a", "a{2}{3}", #"[\d-z]"#, "x{2}*", #"a\"#,
        "((a)", "a|*", "(*)",
        // Accepted.
        "a|b", "binance|okx|bybit", "/api/v1/.*", "(?i).*error.*", #"\d+\s\w*"#, "[[:alpha:]]+", #"\pL\p{Greek}"#,
        #"\PL\P{^Greek}"#, "(?P<name>a)", "(?:a){0,1000}", "x{1000}", "(?:[a-z]{4}){0,250}", "(?i)(?s)(?m)(?U)a",
        "(?i:a)b", "a{,2}", "a{", "a{1", "]", "}", #"\Q(a\E"#, #"\x41\x{263a}\101"#, #"[\]\-]"#, "[^a]", "^a$",
        #"\bword\B"#, #"\A\z"#, "a*?b+?c??", "(a+)+b", "", "(|a)", "[a-]", "€+",
    ]

    static func ruleFile() -> String {
        var text = "groups:\n- name: g\n  rules:\n"
        for (index, pattern) in patterns.enumerated() {
            let expr = "up{job=~`\(pattern)`}".replacingOccurrences(of: "'", with: "''")
            text += "  - record: r\(index)\n    expr: '\(expr)'\n"
        }
        return text
    }

    /// Rule number → the text after "could not parse expression: " (promtool's "parse error: " dropped).
    static func refusals(in output: String) -> [Int: String] {
        var out: [Int: String] = [:]
        for line in output.split(separator: "\n") {
            guard let rule = line.range(of: ", rule "), let colon = line.range(of: ": could not parse expression: ")
            else { continue }
            let numberText = line[rule.upperBound...].prefix { $0.isNumber }
            guard let number = Int(numberText) else { continue }
            out[number] = String(line[colon.upperBound...]).replacingOccurrences(of: "parse error: ", with: "")
        }
        return out
    }

    @Test func klaxonRefusesWhatPromtoolRefusesWithTheSameMessage() async throws {
        #expect(Self.patterns.count >= 50)
        guard Executables.shouldRun(needing: .promtool) else { return }
        let promtool = try Executables.require(.promtool)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-regex-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("rules.yml")
        try Data(Self.ruleFile().utf8).write(to: file)
        let process = try PeerProcess(
            executable: promtool, arguments: ["check", "rules", "rules.yml"], workingDirectory: directory)
        _ = try await process.waitForExit(timeout: .seconds(60))
        let expected = Self.refusals(in: process.standardOutput + process.standardError)
        let outcome = RuleCommands.checkRules(paths: [file.path])
        let actual = Self.refusals(in: outcome.standardOutput + outcome.standardError)
        #expect(expected.count >= 40, "promtool refused \(expected.count): \(process.standardError)")
        for index in Self.patterns.indices {
            let klaxon = actual[index + 1] ?? "accepts"
            let peer = expected[index + 1] ?? "accepts"
            #expect(klaxon == peer, "pattern \(Self.patterns[index].debugDescription)")
        }
    }
}
