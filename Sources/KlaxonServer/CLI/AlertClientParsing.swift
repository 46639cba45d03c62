// MARK: - alerts, ack, unack, silence, history

extension CommandLineParser {
    /// The options, flags and positionals of one alert client command line.
    struct ClientArguments {
        var values: [String: [String]] = [:]
        var flags: Set<String> = []
        var positionals: [String] = []

        func value(_ name: String) -> String? { values[name]?.last }
    }

    /// Splits `arguments` of `klaxon <command>` into options that take a value (`--by alice`,
    /// `--by=alice`; those in `repeatable` may repeat), boolean `flags` and positionals.
    static func clientArguments(
        _ arguments: [String], command: String, topic: HelpTopic, options: [String], repeatable: [String] = [],
        flags: [String] = []
    ) throws(CommandLineError) -> ClientArguments {
        let options = options + ["--url"]
        let flags = flags + ["--json"]
        var parsed = ClientArguments()
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("--") || argument == "-" {
                if !onlyPositionals, argument.hasPrefix("-"), argument.count > 1 {
                    throw CommandLineError("unknown option '\(argument)' for 'klaxon \(command)'", topic: topic)
                }
                parsed.positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            let name = String(argument.prefix { $0 != "=" })
            let inline = argument.contains("=") ? String(argument.drop { $0 != "=" }.dropFirst()) : nil
            if flags.contains(name) {
                guard inline == nil else {
                    throw CommandLineError("option '\(name)' takes no value", topic: topic)
                }
                parsed.flags.insert(name)
                continue
            }
            guard options.contains(name) else {
                throw CommandLineError("unknown option '\(name)' for 'klaxon \(command)'", topic: topic)
            }
            let value: String
            if let inline {
                value = inline
            } else if index < arguments.count {
                value = arguments[index]
                index += 1
            } else {
                throw CommandLineError("option '\(name)' needs a value", topic: topic)
            }
            guard !value.isEmpty else { throw CommandLineError("option '\(name)' needs a value", topic: topic) }
            if parsed.values[name] != nil, !repeatable.contains(name) {
                throw CommandLineError("option '\(name)' given more than once", topic: topic)
            }
            parsed.values[name, default: []].append(value)
        }
        return parsed
    }

    /// `klaxon alerts`.
    static func parseAlerts(_ arguments: [String]) throws(CommandLineError) -> Command {
        if arguments.contains(where: isHelpFlag) { return .help(.alerts) }
        let parsed = try clientArguments(
            arguments, command: "alerts", topic: .alerts, options: ["--filter"], repeatable: ["--filter"])
        if let extra = parsed.positionals.first {
            throw CommandLineError(
                "unexpected argument '\(extra)' for 'klaxon alerts'; filter with --filter 'alertname=X'", topic: .alerts
            )
        }
        return .alertClient(client(.alerts(filters: parsed.values["--filter"] ?? []), parsed))
    }

    /// `klaxon ack` and `klaxon unack`.
    static func parseAck(_ arguments: [String], undo: Bool) throws(CommandLineError) -> Command {
        let command = undo ? "unack" : "ack"
        let topic: HelpTopic = undo ? .unack : .ack
        if arguments.contains(where: isHelpFlag) { return .help(topic) }
        let parsed = try clientArguments(
            arguments, command: command, topic: topic, options: undo ? ["--by"] : ["--by", "--comment", "--expiry"])
        guard parsed.positionals.count == 1, let target = parsed.positionals.first else {
            let problem = parsed.positionals.isEmpty ? "missing" : "give one"
            throw CommandLineError("\(problem) FINGERPRINT or ALERTNAME for 'klaxon \(command)'", topic: topic)
        }
        let action: AlertClientCommand.Action =
            undo
            ? .unack(target: target, by: parsed.value("--by"))
            : .ack(
                target: target, by: parsed.value("--by"), comment: parsed.value("--comment") ?? "",
                expiry: parsed.value("--expiry"))
        return .alertClient(client(action, parsed))
    }

    /// `klaxon silence add|ls|expire`.
    static func parseSilence(_ arguments: [String]) throws(CommandLineError) -> Command {
        if arguments.contains(where: isHelpFlag) { return .help(.silence) }
        guard let verb = arguments.first else {
            throw CommandLineError("missing what to do: 'klaxon silence add|ls|expire'", topic: .silence)
        }
        let rest = Array(arguments.dropFirst())
        switch verb {
        case "add":
            let parsed = try clientArguments(
                rest, command: "silence add", topic: .silence,
                options: ["--duration", "--end", "--until-resolved", "--author", "--comment"])
            let ends = ["--duration", "--end", "--until-resolved"].filter { parsed.value($0) != nil }
            guard ends.count <= 1 else {
                throw CommandLineError(
                    "give one of \(ends.joined(separator: ", ")) for 'klaxon silence add', not several", topic: .silence
                )
            }
            guard !parsed.positionals.isEmpty || parsed.value("--until-resolved") != nil else {
                throw CommandLineError(
                    "missing MATCHER for 'klaxon silence add', e.g. alertname=ExchangeFrozen", topic: .silence)
            }
            let options = SilenceAddOptions(
                matchers: parsed.positionals, duration: parsed.value("--duration"), end: parsed.value("--end"),
                untilResolved: parsed.value("--until-resolved"), author: parsed.value("--author"),
                comment: parsed.value("--comment") ?? "")
            return .alertClient(client(.silenceAdd(options), parsed))
        case "ls", "list", "query":
            let parsed = try clientArguments(
                rest, command: "silence ls", topic: .silence, options: [], flags: ["--expired"])
            if let extra = parsed.positionals.first {
                throw CommandLineError("unexpected argument '\(extra)' for 'klaxon silence ls'", topic: .silence)
            }
            return .alertClient(client(.silenceList(includeExpired: parsed.flags.contains("--expired")), parsed))
        case "expire", "rm":
            let parsed = try clientArguments(rest, command: "silence expire", topic: .silence, options: [])
            guard !parsed.positionals.isEmpty else {
                throw CommandLineError("missing ID for 'klaxon silence expire ID...'", topic: .silence)
            }
            return .alertClient(client(.silenceExpire(ids: parsed.positionals), parsed))
        default:
            throw CommandLineError("unknown 'klaxon silence \(verb)'; use add, ls or expire", topic: .silence)
        }
    }

    /// `klaxon history`: each option is the history API's parameter of the same name.
    static func parseHistory(_ arguments: [String]) throws(CommandLineError) -> Command {
        if arguments.contains(where: isHelpFlag) { return .help(.history) }
        let names = [
            "severity", "alertname", "rule-id", "source", "fingerprint", "kind", "receiver", "instance", "since",
            "until",
            "limit", "cursor",
        ]
        let parsed = try clientArguments(
            arguments, command: "history", topic: .history, options: names.map { "--" + $0 })
        if let extra = parsed.positionals.first {
            throw CommandLineError(
                "unexpected argument '\(extra)' for 'klaxon history'; filter with options such as --alertname X",
                topic: .history)
        }
        let parameters = names.compactMap { name in
            parsed.value("--" + name).map { QueryParameter(String(name.map { $0 == "-" ? "_" : $0 }), $0) }
        }
        return .alertClient(client(.history(parameters: parameters), parsed))
    }

    private static func client(_ action: AlertClientCommand.Action, _ parsed: ClientArguments) -> AlertClientCommand {
        AlertClientCommand(action, url: parsed.value("--url"), json: parsed.flags.contains("--json"))
    }
}
