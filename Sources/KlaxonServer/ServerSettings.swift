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
    /// Where the chosen environment came from: `--env`, `KLAXON_ENV`, `APP_ENV`, `config` or `default`.
    package var environmentSource: String

    package init(configuration: KlaxonConfiguration, configPath: String? = nil, environmentSource: String = "config") {
        self.configuration = configuration
        self.configPath = configPath
        self.environmentSource = environmentSource
    }

    /// Loads `--config` (or takes the built-in defaults) and applies `options` and the environment.
    ///
    /// Throws `ServerSettingsError.configuration` with every problem of the file, or
    /// `.commandLine` when an environment variable holds no valid environment.
    package static func resolve(
        options: ServeOptions, processEnvironment: [String: String]
    ) throws(ServerSettingsError) -> ServerSettings {
        var configuration = KlaxonConfiguration.builtIn
        var fileEnvironment: DeploymentEnvironment?
        if let path = options.configPath {
            // The environment variables are resolved below, so the file is read without them:
            // the startup line can then say which of the two chose the environment.
            var fileOnly = processEnvironment
            fileOnly["KLAXON_ENV"] = nil
            fileOnly["APP_ENV"] = nil
            do {
                configuration = try KlaxonConfigurationLoader.load(path: path, environment: fileOnly)
            } catch {
                throw .configuration(error)
            }
            fileEnvironment = configuration.environment
        }
        let environment: (environment: DeploymentEnvironment, source: String)
        do {
            environment = try DeploymentEnvironment.resolve(
                flag: options.environment, processEnvironment: processEnvironment, configured: fileEnvironment)
        } catch {
            throw .commandLine(error)
        }
        configuration.environment = environment.environment
        if let listen = options.listen {
            configuration.server.listen = HostPort(host: listen.host, port: Int(listen.port))
        }
        if let directory = options.dataDirectory {
            configuration.dataDirectory = directory
        }
        if let level = options.logLevel { configuration.log.level = level }
        if let format = options.logFormat { configuration.log.format = format }
        return ServerSettings(
            configuration: configuration, configPath: options.configPath, environmentSource: environment.source)
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
