import KlaxonServer
import Testing

@Suite struct AlertClientParsingTests {
    @Test(
        arguments: [
            (["alerts"], AlertClientCommand(.alerts(filters: []))),
            (
                ["alerts", "--filter", "alertname=X", "--filter=venue=~\"a|b\"", "--json", "--url", "http://h:1"],
                AlertClientCommand(.alerts(filters: ["alertname=X", "venue=~\"a|b\""]), url: "http://h:1", json: true)
            ),
            (
                ["ack", "ExchangeFrozen", "--by", "alice", "--comment", "on it", "--expiry=30m"],
                AlertClientCommand(.ack(target: "ExchangeFrozen", by: "alice", comment: "on it", expiry: "30m"))
            ),
            (
                ["ack", "00000000000000ab"],
                AlertClientCommand(.ack(target: "00000000000000ab", by: nil, comment: "", expiry: nil))
            ),
            (["unack", "X", "--by", "bob"], AlertClientCommand(.unack(target: "X", by: "bob"))),
            (
                ["silence", "add", "alertname=X", "venue=~a|b", "--duration", "2h", "--author", "a", "--comment", "c"],
                AlertClientCommand(
                    .silenceAdd(
                        SilenceAddOptions(
                            matchers: ["alertname=X", "venue=~a|b"], duration: "2h", author: "a", comment: "c")))
            ),
            (
                ["silence", "add", "--until-resolved", "00000000000000ab"],
                AlertClientCommand(.silenceAdd(SilenceAddOptions(matchers: [], untilResolved: "00000000000000ab")))
            ),
            (
                ["silence", "add", "--end", "2026-01-01T18:00:00Z", "--", "job=engine"],
                AlertClientCommand(
                    .silenceAdd(SilenceAddOptions(matchers: ["job=engine"], end: "2026-01-01T18:00:00Z")))
            ),
            (["silence", "ls"], AlertClientCommand(.silenceList(includeExpired: false))),
            (
                ["silence", "ls", "--expired", "--json"],
                AlertClientCommand(.silenceList(includeExpired: true), json: true)
            ),
            (["silence", "expire", "a", "b"], AlertClientCommand(.silenceExpire(ids: ["a", "b"]))),
            (
                [
                    "history", "--severity", "P0", "--rule-id", "D75.X", "--since", "2026-01-01T00:00:00Z", "--limit",
                    "5",
                ],
                AlertClientCommand(
                    .history(parameters: [
                        QueryParameter("severity", "P0"), QueryParameter("rule_id", "D75.X"),
                        QueryParameter("since", "2026-01-01T00:00:00Z"), QueryParameter("limit", "5"),
                    ]))
            ),
        ] as [([String], AlertClientCommand)])
    func parses(arguments: [String], expected: AlertClientCommand) throws {
        #expect(try CommandLineParser.parse(arguments) == .alertClient(expected))
    }

    @Test(arguments: [
        (["alerts", "--help"], HelpTopic.alerts), (["ack", "-h"], .ack), (["unack", "--help"], .unack),
        (["silence", "add", "--help"], .silence), (["history", "-h"], .history), (["help", "silence"], .silence),
    ])
    func helpFlagsGiveTheCommandsHelp(arguments: [String], topic: HelpTopic) throws {
        #expect(try CommandLineParser.parse(arguments) == .help(topic))
    }

    @Test(
        arguments: [
            (["alerts", "extra"], "unexpected argument 'extra' for 'klaxon alerts'", HelpTopic.alerts),
            (["alerts", "--bogus"], "unknown option '--bogus' for 'klaxon alerts'", .alerts),
            (["alerts", "--url"], "option '--url' needs a value", .alerts),
            (["alerts", "--json=yes"], "option '--json' takes no value", .alerts),
            (["ack"], "missing FINGERPRINT or ALERTNAME for 'klaxon ack'", .ack),
            (["ack", "a", "b"], "give one FINGERPRINT or ALERTNAME for 'klaxon ack'", .ack),
            (["ack", "a", "--by", "x", "--by", "y"], "option '--by' given more than once", .ack),
            (["unack", "a", "--comment", "x"], "unknown option '--comment' for 'klaxon unack'", .unack),
            (["silence"], "missing what to do: 'klaxon silence add|ls|expire'", .silence),
            (["silence", "mute"], "unknown 'klaxon silence mute'; use add, ls or expire", .silence),
            (["silence", "add"], "missing MATCHER for 'klaxon silence add'", .silence),
            (["silence", "add", "a=b", "--duration", "1h", "--end", "x"], "give one of --duration, --end", .silence),
            (["silence", "ls", "x"], "unexpected argument 'x' for 'klaxon silence ls'", .silence),
            (["silence", "expire"], "missing ID for 'klaxon silence expire ID...'", .silence),
            (["history", "--sevrity", "P0"], "unknown option '--sevrity' for 'klaxon history'", .history),
            (["history", "P0"], "unexpected argument 'P0' for 'klaxon history'", .history),
        ] as [([String], String, HelpTopic)])
    func refuses(arguments: [String], message: String, topic: HelpTopic) {
        #expect {
            try CommandLineParser.parse(arguments)
        } throws: { error in
            guard let error = error as? CommandLineError else { return false }
            return error.message.contains(message) && error.topic == topic
        }
    }

    @Test func helpNamesEveryOptionTheParserTakes() {
        let silence = HelpText.help(for: .silence)
        for option in [
            "--duration", "--end", "--until-resolved", "--author", "--comment", "--expired", "--url", "--json",
        ] {
            #expect(silence.contains(option), "silence help lacks \(option)")
        }
        let history = HelpText.help(for: .history)
        for option in [
            "--severity", "--alertname", "--rule-id", "--source", "--fingerprint", "--kind", "--receiver",
            "--instance", "--since", "--until", "--limit", "--cursor",
        ] {
            #expect(history.contains(option), "history help lacks \(option)")
        }
        #expect(HelpText.help(for: .general).contains("silence add|ls|expire"))
        #expect(HelpText.help(for: .ack).contains("KLAXON_API_TOKEN"))
    }
}
