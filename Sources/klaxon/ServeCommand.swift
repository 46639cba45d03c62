import Foundation
import KlaxonRuntime
import KlaxonServer

/// `klaxon serve`: builds the logger, logs the settings, and runs the services until a stop signal.
enum ServeCommand {
    /// Runs until `SIGTERM` / `SIGINT`; returns the process exit status.
    static func run(_ options: ServeOptions, processEnvironment: [String: String]) async -> Int32 {
        let environment: (environment: DeploymentEnvironment, source: String)
        do {
            environment = try DeploymentEnvironment.resolve(
                flag: options.environment,
                processEnvironment: processEnvironment,
                configured: nil
            )
        } catch {
            Terminal.writeError("klaxon: \(error.message)\n")
            return 2
        }
        if let configPath = options.configPath, !FileManager.default.isReadableFile(atPath: configPath) {
            Terminal.writeError("klaxon: cannot read config file \(configPath): it does not exist or is not readable\n")
            return 1
        }
        let logger = Logger(level: options.logLevel ?? .info, format: options.logFormat ?? .logfmt)
        let listen = options.listen ?? ServeOptions.defaultListen
        var settings = [
            "listen": listen.description,
            "env": environment.environment.rawValue,
            "env.source": environment.source,
            "data": options.dataDirectory ?? ServeOptions.defaultDataDirectory,
            "version": KlaxonVersion.version,
        ]
        if let configPath = options.configPath {
            settings["config"] = configPath
        }
        // The group watches SIGTERM from its creation, so the startup line below is a promise
        // that a stop signal from now on ends in a graceful stop.
        // A shutdown that hangs, or a second SIGTERM/SIGINT while stopping, ends the process.
        let configuration = ServiceGroup.Configuration(shutdownTimeout: .seconds(30)) { _ in exit(1) }
        let group = ServiceGroup(services: [], configuration: configuration, logger: logger) {
            logger.info("reload requested; this build has nothing to reload yet")
        }
        logger.info("klaxon started", settings)
        logger.warning("HTTP server, store and rule evaluation are not wired into this build; nothing listens yet")

        do {
            try await group.run()
        } catch {
            logger.error("klaxon stopped after a failure", ["error": String(describing: error)])
            return 1
        }
        logger.info("klaxon stopped")
        return 0
    }
}
