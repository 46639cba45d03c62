import Foundation
import KlaxonRuntime
import KlaxonServer

/// `klaxon serve` (and `klaxon demo`): resolves the settings, builds the server, binds, and runs
/// until a stop signal.
enum ServeCommand {
    /// Runs until `SIGTERM` / `SIGINT`; returns the process exit status. With `demo`, the
    /// synthetic engine, the rule pack and the console receiver come along.
    static func run(
        _ options: ServeOptions, demo: DemoOptions? = nil, processEnvironment: [String: String]
    ) async -> Int32 {
        var settings: ServerSettings
        do {
            settings = try ServerSettings.resolve(options: options, processEnvironment: processEnvironment)
        } catch {
            switch error {
            case .commandLine(let problem):
                Terminal.writeError("klaxon: \(problem.message)\n")
                return 2
            case .configuration(let problems):
                for problem in problems.errors {
                    Terminal.writeError("klaxon: \(problem.description)\n")
                }
                return 1
            }
        }
        if let demo {
            do {
                try demo.prepare(
                    &settings,
                    candidates: DemoOptions.ruleCandidates(
                        executable: CommandLine.arguments.first ?? "klaxon",
                        workingDirectory: FileManager.default.currentDirectoryPath),
                    temporaryDirectory: NSTemporaryDirectory() + "klaxon-demo-\(getpid())")
            } catch {
                Terminal.writeError("klaxon: \(error.description)\n")
                return 1
            }
        }
        let logging = settings.configuration.log
        let logger = Logger(level: logging.level, format: logging.format)
        let server: KlaxonServer
        do {
            server = try KlaxonServer(
                settings: settings, processEnvironment: processEnvironment, logger: logger, demo: demo)
            // The listener opens before anything is announced, so a port in use is one clear error.
            try server.bind()
        } catch {
            Terminal.writeError("klaxon: \(error.message)\n")
            return 1
        }
        let rules = server.reloader.loadInitial()
        guard rules.succeeded else {
            let problems = rules.problems.isEmpty ? [rules.message] : rules.problems
            for problem in problems {
                Terminal.writeError("klaxon: \(problem)\n")
            }
            server.http.shutdown()
            return 1
        }
        server.routing.restoreAlerts(into: server.rules)
        // The group watches SIGTERM from its creation, so the startup line below is a promise
        // that a stop signal from now on ends in a graceful stop.
        // A shutdown that hangs, or a second SIGTERM/SIGINT while stopping, ends the process.
        let group = server.makeServiceGroup(
            configuration: ServiceGroup.Configuration(shutdownTimeout: .seconds(30)) { _ in exit(1) })
        logger.info("klaxon started", settings.startupMetadata)
        if let demo, let engine = server.demo {
            if let incident = demo.incident { engine.trigger(incident) }
            Terminal.write(DemoBanner.text(settings: settings, port: server.http.port, demo: demo))
        }
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
