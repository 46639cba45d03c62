import KlaxonConfig
import KlaxonRuntime

/// What the operator asked `klaxon` to do, once the command line has been parsed.
package enum Command: Equatable, Sendable {
    /// Run the exporter and alert evaluator until `SIGTERM` / `SIGINT`.
    case serve(ServeOptions)
    /// Validate a configuration file and exit.
    case checkConfig(path: String)
    /// Validate rule files and exit (`klaxon check rules FILE…`).
    case checkRules(paths: [String])
    /// Run promtool-format rule unit tests and exit (`klaxon test rules FILE…`).
    case testRules(paths: [String])
    /// Ask a running Klaxon about alerts, acks, silences or history.
    case alertClient(AlertClientCommand)
    /// Print version and build information.
    case version
    /// Print help for a topic.
    case help(HelpTopic)
}

/// The subject of a help text; also the usage printed after a command-line error.
package enum HelpTopic: String, Equatable, Sendable, CaseIterable {
    case general
    case serve
    case check
    case test
    case alerts
    case ack
    case unack
    case silence
    case history
    case version
}

/// Options of `klaxon serve`. A nil option was not given; its value comes from the config file,
/// the environment, or the defaults below, in that order.
package struct ServeOptions: Equatable, Sendable {
    /// `--config FILE`: the klaxon.yml to load.
    package var configPath: String?
    /// `--listen HOST:PORT`: where the HTTP server listens.
    package var listen: ListenAddress?
    /// `--data DIR`: where the embedded store keeps its files.
    package var dataDirectory: String?
    /// `--env prod|staging|dev`: the deployment environment, which selects the routing policy.
    package var environment: DeploymentEnvironment?
    /// `--log-format logfmt|json`.
    package var logFormat: LogFormat?
    /// `--log-level debug|info|warning|error`.
    package var logLevel: LogLevel?

    package init(
        configPath: String? = nil,
        listen: ListenAddress? = nil,
        dataDirectory: String? = nil,
        environment: DeploymentEnvironment? = nil,
        logFormat: LogFormat? = nil,
        logLevel: LogLevel? = nil
    ) {
        self.configPath = configPath
        self.listen = listen
        self.dataDirectory = dataDirectory
        self.environment = environment
        self.logFormat = logFormat
        self.logLevel = logLevel
    }

    /// Where Klaxon listens when neither flag nor config says: loopback, the port of the README.
    package static let defaultListen = ListenAddress(host: "127.0.0.1", port: 9477)
    /// Where the embedded store lives when neither flag nor config says.
    package static let defaultDataDirectory = "data"
}

/// A `HOST:PORT` to listen on. The host is an IPv4 address, a bracketed IPv6 address, or a name.
package struct ListenAddress: Equatable, Sendable, CustomStringConvertible {
    /// The host without brackets: `127.0.0.1`, `::1`, `localhost`; `0.0.0.0` for all interfaces.
    package var host: String
    /// The TCP port, 1–65535.
    package var port: UInt16

    package init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// `host:port`, with IPv6 hosts in brackets so the text parses back.
    package var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Parses `HOST:PORT`, `[IPV6]:PORT` or `:PORT` (all interfaces); nil when malformed.
    package init?(parsing text: String) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[close...].hasPrefix("]:") else { return nil }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
            guard !hostPart.isEmpty, hostPart.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                return nil
            }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            let allowed = hostPart.allSatisfy { ($0.isASCII && $0.isLetter) || $0.isNumber || $0 == "." || $0 == "-" }
            guard allowed, hostPart.utf8.count <= 253 else { return nil }
        }
        guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
            let port = UInt16(portPart), port > 0
        else { return nil }
        self.host = hostPart.isEmpty ? "0.0.0.0" : String(hostPart)
        self.port = port
    }
}
