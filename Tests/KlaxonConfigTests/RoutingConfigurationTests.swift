import KlaxonConfig
import KlaxonMetrics
import Testing

@Suite struct RoutingConfigurationTests {
    private func errors(_ text: String) -> [String] {
        do {
            _ = try KlaxonConfigurationLoader.parse(text: text, file: "klaxon.yml", environment: [:])
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func defaultsAreTelegramFirstWithTheIssueTimings() {
        let routing = KlaxonConfiguration.builtIn.routing
        #expect(routing.policy.receivers(for: .p0, in: .prod) == ["telegram"])
        #expect(routing.policy.receivers(for: .p2, in: .prod) == [])
        #expect(routing.policy.receivers(for: .p2, in: .dev) == ["telegram", "slack", "email"])
        #expect(routing.timings(for: .p0).groupWait == 0)
        #expect(routing.timings(for: .p1).groupWait == 5_000)
        #expect(routing.timings(for: .p2).groupWait == 30_000)
        #expect(routing.timings(for: .p3).groupWait == 300_000)
        #expect(Severity.allCases.map { routing.timings(for: $0).rateLimitPerMinute } == [10, 5, 3, 1])
        #expect(routing.escalation.afterMilliseconds == 120_000)
        #expect(routing.sendResolved)
        #expect(routing.inhibitRules.count == 2)
    }

    @Test func everyKeyDecodes() throws {
        let config = try KlaxonConfigurationLoader.parse(
            text: """
                routing:
                  min_severity: P1
                  disabled_alerts: [NoisyAlert, D75.SYSTEM.STATE_SAVE_FAILED]
                  group_by: [alertname, exchange]
                  send_resolved: false
                  skip_throttle: true
                  severities:
                    P2: {group_wait: 10s, rate_limit: 7}
                  inhibit_rules:
                    - source_matchers: ['alertname="ExchangeDown"']
                      target_matchers: ['severity=~"P2|P3"', 'source!=RiskGuard']
                      equal: [exchange]
                  policy:
                    prod: {P2: [slack]}
                  escalation: {severities: [P0], after: 5m, max: 2, receivers: [pager]}
                """, file: "klaxon.yml", environment: [:])
        let routing = config.routing
        #expect(routing.minSeverity == .p1)
        #expect(routing.disabledAlerts == ["NoisyAlert", "D75.SYSTEM.STATE_SAVE_FAILED"])
        #expect(routing.groupBy == ["alertname", "exchange"])
        #expect(!routing.sendResolved && routing.skipThrottle)
        let p2 = routing.timings(for: .p2)
        #expect(p2.groupWait == 10_000 && p2.rateLimitPerMinute == 7 && p2.groupInterval == 300_000)
        let rule = try #require(routing.inhibitRules.first)
        #expect(routing.inhibitRules.count == 1)
        #expect(rule.sourceMatchers.map(\.text) == [#"alertname="ExchangeDown""#])
        #expect(rule.targetMatchers.map(\.text) == [#"severity=~"P2|P3""#, #"source!="RiskGuard""#])
        #expect(rule.equal == ["exchange"])
        #expect(routing.policy.receivers(for: .p2, in: .prod) == ["slack"])
        #expect(routing.policy.receivers(for: .p0, in: .prod) == ["telegram"])
        #expect(routing.escalation.severities == [.p0] && routing.escalation.maxSteps == 2)
        #expect(routing.escalation.afterMilliseconds == 300_000 && routing.escalation.receivers == ["pager"])
    }

    @Test(arguments: [
        ("routing:\n  min_severity: critical\n", "routing.min_severity"),
        ("routing:\n  severities:\n    P4: {group_wait: 1s}\n", "unknown key \"P4\""),
        (
            "routing:\n  inhibit_rules:\n    - source_matchers: ['alertname']\n      target_matchers: ['a=b']\n",
            "needs an operator"
        ),
        ("routing:\n  inhibit_rules:\n    - target_matchers: ['a=b']\n", "missing required key \"source_matchers\""),
        ("routing:\n  group_by: [\"bad-name\"]\n", "is not a label name"),
        ("routing:\n  escalation: {max: 1000}\n", "routing.escalation.max"),
        ("routing:\n  policy:\n    production: {P0: [telegram]}\n", "unknown key \"production\""),
    ])
    func badRoutingIsReportedWithItsField(text: String, expected: String) {
        let found = errors(text)
        #expect(found.count == 1)
        #expect(found.first?.contains(expected) == true, "\(found)")
    }
}

@Suite struct LabelMatcherTextTests {
    @Test(arguments: [
        (#"alertname="GlobalRiskBlock""#, "alertname", MatchType.equal, "GlobalRiskBlock"),
        (#"severity =~ "P0|P1""#, "severity", .regexMatch, "P0|P1"),
        ("source!=RiskGuard", "source", .notEqual, "RiskGuard"),
        (#"exchange!~"bin.*""#, "exchange", .regexNoMatch, "bin.*"),
        (#"note="say \"hi\"\\n""#, "note", .equal, #"say "hi"\n"#),
        ("empty=", "empty", .equal, ""),
    ])
    func parsesAlertmanagerMatchers(text: String, name: String, type: MatchType, value: String) throws {
        let matcher = try LabelMatcher(parsing: text)
        #expect(matcher.name == name && matcher.type == type && matcher.value == value)
        #expect(try LabelMatcher(parsing: matcher.text) == matcher)
    }

    /// Found by Fuzz/silencebody: a newline or quote followed by a combining mark is one Swift
    /// Character, and was written unescaped.
    @Test(arguments: ["a\n\u{30B}b", "\"\u{30B}", "\\\u{301}n", "x\n\n\u{30B}"])
    func valuesWithCombiningMarksAfterEscapedCharactersReadBack(value: String) throws {
        let matcher = try LabelMatcher("note", .equal, value)
        #expect(!matcher.text.contains("\n"), "the newline is escaped: \(matcher.text.debugDescription)")
        #expect(try LabelMatcher(parsing: matcher.text) == matcher)
    }

    @Test(arguments: [
        ("=value", "must start with a label name"),
        ("9lives=1", "must start with a label name"),
        ("name", "needs an operator"),
        (#"name="open"#, "unterminated"),
        (#"name="a"b"#, "text after its quoted value"),
        (#"name="\t""#, "unknown escape"),
        (#"name=~"(""#, "invalid regular expression"),
    ])
    func refusesBadMatchersWithAReason(text: String, expected: String) {
        #expect {
            try LabelMatcher(parsing: text)
        } throws: { error in
            "\(error)".contains(expected)
        }
    }
}
