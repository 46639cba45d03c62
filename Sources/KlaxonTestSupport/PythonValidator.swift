import Foundation

/// Runs Python's `jsonschema` (and PyYAML for YAML documents) as the judge of a JSON Schema.
///
/// The validator is a peer like promtool: a test needing it is skipped when it is missing,
/// unless `KLAXON_REQUIRE_PEERS=1`, where `.ci/run` has installed it.
package enum PythonValidator {
    /// Whether `python3` can import every one of `modules`.
    package static func hasModules(_ modules: [String]) -> Bool {
        guard let python = Executables.path(of: .python3) else { return false }
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", modules.map { "import \($0)" }.joined(separator: "; ")]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return false
        }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    /// Whether tests validating with `modules` should run.
    package static func shouldRun(needing modules: [String]) -> Bool {
        Executables.peersRequired || hasModules(modules)
    }

    /// Validates each of `documents` (JSON, or YAML when the name ends in `.yaml`/`.yml`) against
    /// the draft-07 schema at `schema`. Returns one line per problem (`file: path: message`), empty when all are valid.
    package static func validate(_ documents: [URL], schema: URL) throws -> [String] {
        let python = try Executables.require(.python3)
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1]))
            validator = jsonschema.Draft7Validator(schema)
            for name in sys.argv[2:]:
                if name.endswith((".yaml", ".yml")):
                    import yaml
                    document = yaml.safe_load(open(name))
                else:
                    document = json.load(open(name))
                for error in validator.iter_errors(document):
                    path = "/".join(str(part) for part in error.absolute_path)
                    print(f"{name}: {path}: {error.message[:300]}")
            """
        let process = Process()
        process.executableURL = python
        process.arguments = ["-c", script, schema.path] + documents.map(\.path)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // Read before waiting, so a long report cannot fill the pipe and block the validator.
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let failed = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DashboardError(
                message: "the schema validator failed (\(process.terminationStatus)): "
                    + String(decoding: failed, as: UTF8.self))
        }
        return String(decoding: printed, as: UTF8.self).split(separator: "\n").map(String.init)
    }
}
