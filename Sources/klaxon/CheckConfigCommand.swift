import Foundation
import KlaxonConfig

/// `klaxon check config FILE`: validates the file as `serve` would resolve it (with the environment).
enum CheckConfigCommand {
    /// Prints `OK` (exit 0) or every problem as `file:line:column: message` (exit 1).
    static func run(path: String, processEnvironment: [String: String]) -> Int32 {
        do {
            _ = try SettingsResolver.resolve(configPath: path, processEnvironment: processEnvironment)
        } catch {
            Terminal.writeError(error.description + "\n")
            return 1
        }
        print("OK")
        return 0
    }
}
