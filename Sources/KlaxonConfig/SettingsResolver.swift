import Foundation
import KlaxonRuntime

/// Settings given on the command line; nil when not given. They win over the environment and the file.
package struct SettingOverrides: Sendable, Equatable {
    /// `--listen`.
    package var listen: HostPort?
    /// `--data`.
    package var dataDirectory: String?
    /// `--env`.
    package var environment: DeploymentEnvironment?
    /// `--log-level`.
    package var logLevel: LogLevel?
    /// `--log-format`.
    package var logFormat: LogFormat?
    /// `--web.external-url`, already checked by `ExternalURL.parse`.
    package var externalURL: String?

    package init(
        listen: HostPort? = nil, dataDirectory: String? = nil, environment: DeploymentEnvironment? = nil,
        logLevel: LogLevel? = nil, logFormat: LogFormat? = nil, externalURL: String? = nil
    ) {
        self.listen = listen
        self.dataDirectory = dataDirectory
        self.environment = environment
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.externalURL = externalURL
    }
}

/// A configuration with every source applied.
package struct ResolvedConfiguration: Sendable, Equatable {
    /// The settings; `environmentSource` says which source chose the environment.
    package var configuration: KlaxonConfiguration
    /// Base URL of this Klaxon for links: `$externalURL` in templates, alerts' generator URLs,
    /// message links. `--web.external-url`, else `external_url`, else `http://<hostname>:<port>`
    /// as Prometheus derives it; never with a trailing `/`.
    package var externalURL: String
}

/// Why settings could not be resolved.
package enum SettingsError: Error, Sendable, CustomStringConvertible {
    /// The configuration file is unreadable or invalid; every problem is listed.
    case configuration(ConfigErrors)
    /// An environment variable holds a value that is not allowed (no file to point at).
    case environmentVariable(String)

    package var description: String {
        switch self {
        case .configuration(let errors): errors.description
        case .environmentVariable(let message): message
        }
    }
}

/// The one place settings are resolved, for `serve`, `check config` and every reload: the file
/// (or the built-in defaults), then the process environment (`${VAR}`, `KLAXON_ENV`, `APP_ENV`),
/// then the command-line flags, then what follows from the others (the SQLite file from
/// `data_dir`, the external URL from the listen port).
package enum SettingsResolver {
    package static func resolve(
        configPath: String?, processEnvironment: [String: String], overrides: SettingOverrides = SettingOverrides(),
        hostname: String = ProcessInfo.processInfo.hostName
    ) throws(SettingsError) -> ResolvedConfiguration {
        var configuration = KlaxonConfiguration.builtIn
        if let configPath {
            do {
                configuration = try KlaxonConfigurationLoader.load(path: configPath, environment: processEnvironment)
            } catch {
                throw .configuration(error)
            }
        } else {
            try applyEnvironmentVariables(processEnvironment, to: &configuration)
        }
        if let environment = overrides.environment {
            configuration.environment = environment
            configuration.environmentSource = "--env"
        }
        if let listen = overrides.listen { configuration.server.listen = listen }
        if let directory = overrides.dataDirectory { configuration.dataDirectory = directory }
        if let level = overrides.logLevel { configuration.log.level = level }
        if let format = overrides.logFormat { configuration.log.format = format }
        if let url = overrides.externalURL { configuration.externalURL = url }
        configuration.placeStoreInDataDirectory()
        let externalURL =
            configuration.externalURL ?? "http://\(HostPort(host: hostname, port: configuration.server.listen.port))"
        return ResolvedConfiguration(configuration: configuration, externalURL: externalURL)
    }

    /// Without a file there is no line to point at: a bad variable is its own error.
    private static func applyEnvironmentVariables(
        _ processEnvironment: [String: String], to configuration: inout KlaxonConfiguration
    ) throws(SettingsError) {
        for variable in DeploymentEnvironment.variables {
            guard let raw = processEnvironment[variable], !raw.isEmpty else { continue }
            guard let environment = DeploymentEnvironment(rawValue: raw) else {
                throw .environmentVariable(
                    "environment variable \(variable)='\(raw.prefix(64))' is not an environment: use prod, staging or dev"
                )
            }
            configuration.environment = environment
            configuration.environmentSource = variable
            return
        }
    }
}

extension DeploymentEnvironment {
    /// The process environment variables that choose the environment, the stronger first.
    package static let variables = ["KLAXON_ENV", "APP_ENV"]
}
