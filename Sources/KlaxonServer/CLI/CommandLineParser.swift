import KlaxonConfig
import KlaxonRuntime

/// Turns `klaxon`'s arguments into a `Command`. Pure: no I/O, no environment, no exit.
package enum CommandLineParser {
    /// The longest single argument accepted; paths and addresses are far shorter.
    package static let maximumArgumentLength = 4096

    /// Parses `arguments` (without the program name).
    package static func parse(_ arguments: [String]) throws(CommandLineError) -> Command {
        if let long = arguments.first(where: { $0.utf8.count > maximumArgumentLength }) {
            throw CommandLineError(
                "argument '\(long.prefix(40))…' is \(long.utf8.count) bytes long; the limit is \(maximumArgumentLength)",
                topic: .general
            )
        }
        guard let first = arguments.first else {
            throw CommandLineError("no command given", topic: .general)
        }
        let rest = Array(arguments.dropFirst())
        switch first {
        case "serve":
            if rest.contains(where: isHelpFlag) { return .help(.serve) }
            return .serve(try parseServe(rest, command: "serve", topic: .serve).serve)
        case "demo":
            if rest.contains(where: isHelpFlag) { return .help(.demo) }
            return .demo(try parseServe(rest, command: "demo", topic: .demo))
        case "check":
            if rest.first == "rules" { return try parseRuleFiles(rest, command: "check") }
            return try parseCheck(rest)
        case "test":
            return try parseRuleFiles(rest, command: "test")
        case "alerts":
            return try parseAlerts(rest)
        case "ack", "unack":
            return try parseAck(rest, undo: first == "unack")
        case "silence":
            return try parseSilence(rest)
        case "history":
            return try parseHistory(rest)
        case "version", "--version":
            if rest.contains(where: isHelpFlag) { return .help(.version) }
            if let extra = rest.first {
                throw CommandLineError("unexpected argument '\(extra)' for 'klaxon version'", topic: .version)
            }
            return .version
        case "help", "--help", "-h":
            return try parseHelp(rest)
        default:
            let kind = first.hasPrefix("-") ? "option" : "command"
            throw CommandLineError(
                "unknown \(kind) '\(first)'; commands are \(commandList)",
                topic: .general
            )
        }
    }

    // MARK: - Subcommands

    private static func parseHelp(_ arguments: [String]) throws(CommandLineError) -> Command {
        guard let topicName = arguments.first else { return .help(.general) }
        guard arguments.count == 1 else {
            throw CommandLineError("unexpected argument '\(arguments[1])' for 'klaxon help'", topic: .general)
        }
        guard let topic = HelpTopic(rawValue: topicName), topic != .general else {
            throw CommandLineError(
                "no help for '\(topicName)'; commands are \(commandList)",
                topic: .general
            )
        }
        return .help(topic)
    }

    private static func parseCheck(_ arguments: [String]) throws(CommandLineError) -> Command {
        if arguments.contains(where: isHelpFlag) { return .help(.check) }
        guard let what = arguments.first else {
            throw CommandLineError("missing what to check: 'klaxon check config FILE'", topic: .check)
        }
        guard what == "config" else {
            let kind = what.hasPrefix("-") ? "option" : "check"
            throw CommandLineError(
                "unknown \(kind) '\(what)' for 'klaxon check'; use 'check config FILE' or 'check rules FILE…'",
                topic: .check)
        }
        guard arguments.count >= 2 else {
            throw CommandLineError("missing FILE for 'klaxon check config FILE'", topic: .check)
        }
        let path = arguments[1]
        if path.hasPrefix("-") {
            throw CommandLineError("unknown option '\(path)' for 'klaxon check config'", topic: .check)
        }
        guard arguments.count == 2 else {
            throw CommandLineError(
                "unexpected argument '\(arguments[2])' for 'klaxon check config'; it takes one FILE",
                topic: .check
            )
        }
        return .checkConfig(path: path)
    }

    /// `serve`'s options; `demo` takes them and its own (`--incident`, `--rules`, `--every`).
    private static func parseServe(
        _ arguments: [String], command: String, topic: HelpTopic
    ) throws(CommandLineError) -> DemoOptions {
        var options = ServeOptions()
        var demo = DemoOptions()
        var seen: Set<String> = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            guard argument.hasPrefix("--") else {
                let kind = argument.hasPrefix("-") ? "option" : "argument"
                throw CommandLineError("unknown \(kind) '\(argument)' for 'klaxon \(command)'", topic: topic)
            }
            // Both `--flag value` and `--flag=value` are accepted.
            let name: String
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "=") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            } else {
                name = argument
            }
            let flag = ServeFlag(rawValue: name)
            let demoFlag = topic == .demo ? DemoFlag(rawValue: name) : nil
            guard flag != nil || demoFlag != nil else {
                throw CommandLineError("unknown option '\(name)' for 'klaxon \(command)'", topic: topic)
            }
            guard seen.insert(name).inserted else {
                throw CommandLineError("option '\(name)' given more than once", topic: topic)
            }
            let hint = flag?.valueHint ?? demoFlag?.valueHint ?? ""
            let value: String
            if let inlineValue {
                value = inlineValue
            } else if index < arguments.count, !arguments[index].hasPrefix("--") {
                value = arguments[index]
                index += 1
            } else {
                throw CommandLineError("option '\(name)' needs a value: \(hint)", topic: topic)
            }
            if let flag { try flag.apply(value, to: &options) }
            if let demoFlag { try demoFlag.apply(value, to: &demo) }
        }
        demo.serve = options
        return demo
    }

    /// The commands, for error messages.
    static let commandList = "serve, demo, check, test, alerts, ack, unack, silence, history, version and help"

    static func isHelpFlag(_ argument: String) -> Bool {
        argument == "--help" || argument == "-h"
    }
}

// MARK: - demo's options

/// One option `klaxon demo` takes beyond `serve`'s.
private enum DemoFlag: String {
    case incident = "--incident"
    case rules = "--rules"
    case every = "--every"

    var valueHint: String {
        switch self {
        case .incident: "an incident name: " + DemoIncident.all.map(\.name).joined(separator: ", ")
        case .rules: "DIR"
        case .every: "a duration of at least 10s, e.g. 5m"
        }
    }

    func apply(_ value: String, to options: inout DemoOptions) throws(CommandLineError) {
        guard !value.isEmpty else {
            throw CommandLineError("option '\(rawValue)' needs a value: \(valueHint)", topic: .demo)
        }
        switch self {
        case .incident:
            guard DemoIncident.named(value) != nil else {
                throw CommandLineError(
                    "invalid value '\(value)' for '\(rawValue)': expected \(valueHint)", topic: .demo)
            }
            options.incident = value
        case .rules:
            options.rulesDirectory = value
        case .every:
            guard let milliseconds = PrometheusDuration.parse(value), milliseconds >= 10_000 else {
                throw CommandLineError(
                    "invalid value '\(value)' for '\(rawValue)': expected \(valueHint)", topic: .demo)
            }
            options.everyMilliseconds = milliseconds
        }
    }
}

// MARK: - serve's options

/// One option of `klaxon serve`, with how its value is checked and stored.
private enum ServeFlag: String {
    case config = "--config"
    case listen = "--listen"
    case data = "--data"
    case env = "--env"
    case logFormat = "--log-format"
    case logLevel = "--log-level"
    case externalURL = "--web.external-url"

    var valueHint: String {
        switch self {
        case .config: "FILE"
        case .listen: "HOST:PORT, e.g. 127.0.0.1:9477"
        case .data: "DIR"
        case .env: "prod, staging or dev"
        case .logFormat: "logfmt or json"
        case .logLevel: LogLevel.spellings
        case .externalURL: "URL, e.g. https://klaxon.example.com"
        }
    }

    func apply(_ value: String, to options: inout ServeOptions) throws(CommandLineError) {
        guard !value.isEmpty else {
            throw CommandLineError("option '\(rawValue)' needs a value: \(valueHint)", topic: .serve)
        }
        switch self {
        case .config:
            options.configPath = value
        case .data:
            options.dataDirectory = value
        case .listen:
            do {
                options.listen = try HostPort(parsing: value, allowsEmptyHost: true)
            } catch {
                throw CommandLineError(
                    "invalid value '\(value)' for '\(rawValue)': \(error.description)", topic: .serve)
            }
        case .env:
            options.environment = try parsed(DeploymentEnvironment(rawValue: value), value)
        case .logFormat:
            options.logFormat = try parsed(LogFormat(rawValue: value), value)
        case .logLevel:
            options.logLevel = try parsed(LogLevel(parsing: value), value)
        case .externalURL:
            do {
                options.externalURL = try ExternalURL.parse(value)
            } catch {
                throw CommandLineError(
                    "invalid value '\(value)' for '\(rawValue)': \(error.description)", topic: .serve)
            }
        }
    }

    private func parsed<Value>(_ value: Value?, _ text: String) throws(CommandLineError) -> Value {
        guard let value else {
            throw CommandLineError("invalid value '\(text)' for '\(rawValue)': expected \(valueHint)", topic: .serve)
        }
        return value
    }
}
