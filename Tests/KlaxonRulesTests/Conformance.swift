import Foundation

/// Where the package and the peers' conformance data are, found from this file's path.
enum Conformance {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let root = packageRoot.appendingPathComponent("../shared/conformance").standardizedFileURL

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// The files in `folder` (relative to the conformance root) whose names end with `suffix`, sorted.
    static func files(in folder: String, suffix: String) -> [String] {
        let directory = root.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted()
    }

    /// Files of the package's own `alert-rules/` folder.
    static func ruleFiles(in folder: String, suffix: String = ".yml") -> [String] {
        let directory = packageRoot.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted().map { directory.appendingPathComponent($0).path }
    }

    /// A unique scratch folder for one test.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
