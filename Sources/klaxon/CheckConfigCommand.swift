import Foundation

/// `klaxon check config FILE`: reads the file and reports; validation arrives with KlaxonConfig.
enum CheckConfigCommand {
    /// The largest configuration file read; real ones are a few kilobytes.
    static let maximumFileSize = 16 * 1024 * 1024

    /// Returns the process exit status: 1 until this build can validate a configuration.
    static func run(path: String) -> Int32 {
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            guard size <= maximumFileSize else {
                Terminal.writeError(
                    "klaxon: config file \(path) is \(size) bytes; the limit is \(maximumFileSize) bytes\n"
                )
                return 1
            }
            _ = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            Terminal.writeError("klaxon: cannot read config file \(path): \(error.localizedDescription)\n")
            return 1
        }
        Terminal.writeError(
            "klaxon: read \(path) (\(size) bytes) but did not validate it: "
                + "this build has no configuration validation yet\n"
        )
        return 1
    }
}
