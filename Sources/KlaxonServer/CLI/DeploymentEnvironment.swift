/// The deployment environment; it picks the default routing policy (who hears which severity).
package enum DeploymentEnvironment: String, Equatable, Sendable, CaseIterable {
    case prod
    case staging
    case dev

    /// The environment when nothing sets one: `prod`, whose policy pushes the fewest notifications.
    package static let fallback = DeploymentEnvironment.prod

    /// Picks the environment: the `--env` flag, else `KLAXON_ENV`, else `APP_ENV`, else the config
    /// file's value, else `prod`. Returns the choice and where it came from, for the startup log.
    package static func resolve(
        flag: DeploymentEnvironment?,
        processEnvironment: [String: String],
        configured: DeploymentEnvironment?
    ) throws(CommandLineError) -> (environment: DeploymentEnvironment, source: String) {
        if let flag {
            return (flag, "--env")
        }
        for variable in ["KLAXON_ENV", "APP_ENV"] {
            guard let raw = processEnvironment[variable], !raw.isEmpty else { continue }
            guard let environment = DeploymentEnvironment(rawValue: raw) else {
                throw CommandLineError(
                    "environment variable \(variable)='\(raw.prefix(64))' is not an environment: use prod, staging or dev",
                    topic: .serve
                )
            }
            return (environment, variable)
        }
        if let configured {
            return (configured, "config")
        }
        return (fallback, "default")
    }
}
