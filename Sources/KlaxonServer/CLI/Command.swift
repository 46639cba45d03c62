import KlaxonConfig
import KlaxonRuntime

/// What the operator asked `klaxon` to do, once the command line has been parsed.
package enum Command: Equatable, Sendable {
    /// Run the exporter and alert evaluator until `SIGTERM` / `SIGINT`.
    case serve(ServeOptions)
    /// `serve` plus a synthetic trading engine, the shipped rules and a console receiver.
    case demo(DemoOptions)
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
    case demo
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
    /// `--listen HOST:PORT`: where the HTTP server listens (parsed as `server.listen` is).
    package var listen: HostPort?
    /// `--data DIR`: where the embedded store keeps its files.
    package var dataDirectory: String?
    /// `--env prod|staging|dev`: the deployment environment, which selects the routing policy.
    package var environment: DeploymentEnvironment?
    /// `--log-format logfmt|json`.
    package var logFormat: LogFormat?
    /// `--log-level debug|info|warning|error`.
    package var logLevel: LogLevel?
    /// `--web.external-url URL`: how people reach this Klaxon, for links.
    package var externalURL: String?

    package init(
        configPath: String? = nil,
        listen: HostPort? = nil,
        dataDirectory: String? = nil,
        environment: DeploymentEnvironment? = nil,
        logFormat: LogFormat? = nil,
        logLevel: LogLevel? = nil,
        externalURL: String? = nil
    ) {
        self.configPath = configPath
        self.listen = listen
        self.dataDirectory = dataDirectory
        self.environment = environment
        self.logFormat = logFormat
        self.logLevel = logLevel
        self.externalURL = externalURL
    }

    /// The flags that override settings, for `SettingsResolver`.
    package var overrides: SettingOverrides {
        SettingOverrides(
            listen: listen, dataDirectory: dataDirectory, environment: environment, logLevel: logLevel,
            logFormat: logFormat, externalURL: externalURL)
    }

}
