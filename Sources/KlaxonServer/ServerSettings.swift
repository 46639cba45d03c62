import Foundation
import KlaxonConfig
import KlaxonRuntime

/// What `klaxon serve` runs with: the configuration file (or the built-in defaults) with the
/// command-line flags and the process environment applied on top.
///
/// Precedence, highest first: flag, `KLAXON_ENV` / `APP_ENV` (environment only), config file, default.
package struct ServerSettings: Sendable {
    /// The configuration with the flags applied (`server.listen`, `data_dir`, `log`, `environment`).
    package var configuration: KlaxonConfiguration
    /// The file the configuration came from; nil for the built-in defaults. Reload re-reads it.
    package var configPath: String?
    /// The command-line flags; a reload applies them again over the re-read file.
    package var overrides: SettingOverrides
    /// Where the chosen environment came from: `--env`, `KLAXON_ENV`, `APP_ENV`, `config` or `default`.
    package var environmentSource: String { configuration.environmentSource }
    /// Base URL of this Klaxon for links (`$externalURL`, generator URLs, messages); no trailing `/`.
    package var externalURL: String

    package init(
        configuration: KlaxonConfiguration, configPath: String? = nil, overrides: SettingOverrides = SettingOverrides(),
        externalURL: String = "http://127.0.0.1:9477"
    ) {
        self.configuration = configuration
        self.configPath = configPath
        self.overrides = overrides
        self.externalURL = externalURL
    }

    /// Loads `--config` (or takes the built-in defaults) and applies the environment and `options`
    /// through `SettingsResolver`, as `check config` and every reload do.
    ///
    /// Throws `ServerSettingsError.configuration` with every problem of the file, or
    /// `.commandLine` when an environment variable holds no valid environment.
    package static func resolve(
        options: ServeOptions, processEnvironment: [String: String],
        hostname: String = ProcessInfo.processInfo.hostName
    ) throws(ServerSettingsError) -> ServerSettings {
        let resolved: ResolvedConfiguration
        do {
            resolved = try SettingsResolver.resolve(
                configPath: options.configPath, processEnvironment: processEnvironment, overrides: options.overrides,
                hostname: hostname)
        } catch {
            switch error {
            case .configuration(let errors): throw .configuration(errors)
            case .environmentVariable(let message): throw .commandLine(CommandLineError(message, topic: .serve))
            }
        }
        return ServerSettings(
            configuration: resolved.configuration, configPath: options.configPath, overrides: options.overrides,
            externalURL: resolved.externalURL)
    }

    /// The address the HTTP server binds, as `host:port`; an empty host means every interface.
    package var listenDescription: String {
        let listen = configuration.server.listen
        return HostPort(host: listen.host.isEmpty ? "0.0.0.0" : listen.host, port: listen.port).description
    }

    /// The key facts for the startup log line.
    package var startupMetadata: [String: String] {
        var metadata = [
            "listen": listenDescription,
            "env": configuration.environment.rawValue,
            "env.source": environmentSource,
            "data": configuration.dataDirectory,
            "version": KlaxonVersion.version,
            "external_url": externalURL,
        ]
        if let configPath { metadata["config"] = configPath }
        return metadata
    }
}

/// Why `klaxon serve` cannot start with the given configuration.
package enum ServerSettingsError: Error, Sendable, CustomStringConvertible {
    /// The configuration file is unreadable or invalid; every problem is listed.
    case configuration(ConfigErrors)
    /// An environment variable or flag is not understood (exit status 2).
    case commandLine(CommandLineError)

    package var description: String {
        switch self {
        case .configuration(let errors): errors.description
        case .commandLine(let error): error.message
        }
    }
}
