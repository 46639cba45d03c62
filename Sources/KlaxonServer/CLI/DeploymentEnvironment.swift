import KlaxonConfig

extension DeploymentEnvironment {
    /// The environment when nothing sets one: `dev`, as in `klaxon.yml`'s default.
    package static let fallback = DeploymentEnvironment.dev

    /// Picks the environment: the `--env` flag, else `KLAXON_ENV`, else `APP_ENV`, else the config
    /// file's value, else `dev`. Returns the choice and where it came from, for the startup log.
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
