import Foundation

/// Reads `klaxon.yml` into a validated `KlaxonConfiguration`, reporting every problem at once.
package enum KlaxonConfigurationLoader {
    /// Largest configuration file accepted.
    package static let maxFileBytes = 4 << 20

    /// Reads and validates the file at `path`; `${VAR}` and `KLAXON_ENV`/`APP_ENV` come from `environment`.
    package static func load(
        path: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigErrors) -> KlaxonConfiguration {
        let bytes: [UInt8]
        do {
            bytes = try readBounded(path: path)
        } catch {
            throw ConfigErrors([
                ConfigError(file: path, mark: Mark(line: 1, column: 1), path: .root, message: error.description)
            ])
        }
        return try parse(bytes: bytes, file: path, environment: environment)
    }

    /// Validates configuration text; `file` names it in errors.
    package static func parse(
        text: String, file: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigErrors) -> KlaxonConfiguration {
        try parse(bytes: Array(text.utf8), file: file, environment: environment)
    }

    /// Validates configuration bytes (UTF-8); `file` names it in errors.
    package static func parse(
        bytes: [UInt8], file: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigErrors) -> KlaxonConfiguration {
        let diagnostics = ConfigDiagnostics(file: file, expansion: EnvironmentExpansion(environment: environment))
        guard let document = diagnostics.parseDocument(bytes: bytes, limits: YAMLLimits(maxBytes: maxFileBytes)),
            let root = diagnostics.root(document, allowedKeys: KlaxonConfiguration.keys)
        else {
            try diagnostics.throwIfFailed()
            return .builtIn
        }
        let configuration = KlaxonConfiguration(decoding: root, processEnvironment: environment)
        try diagnostics.throwIfFailed()
        return configuration
    }

    /// Reads at most `maxFileBytes`; a larger file is refused rather than truncated.
    private static func readBounded(path: String) throws(FileReadError) -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw FileReadError(reason: "cannot open the file; check that it exists and is readable")
        }
        defer { try? handle.close() }
        let data: Data?
        do {
            data = try handle.read(upToCount: maxFileBytes + 1)
        } catch {
            throw FileReadError(reason: "cannot read the file: \(error.localizedDescription)")
        }
        let bytes = [UInt8](data ?? Data())
        guard bytes.count <= maxFileBytes else {
            throw FileReadError(reason: "the file is larger than \(maxFileBytes) bytes")
        }
        return bytes
    }
}

/// Why a configuration file could not be read.
struct FileReadError: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
