import Glibc

/// Expands `rule_files` patterns into file paths, as Prometheus does with `filepath.Glob`.
package enum RuleFiles {
    /// Most files the patterns may match together; a pattern like `/**` must not load a disk.
    package static let maxFiles = 10_000

    /// The files matching `patterns`, relative ones resolved against `baseDirectory`, sorted and
    /// without duplicates. A pattern matching nothing contributes nothing (as in Prometheus).
    package static func expand(_ patterns: [String], baseDirectory: String) throws(RuleFilesError) -> [String] {
        var files: Set<String> = []
        for pattern in patterns {
            let absolute = pattern.hasPrefix("/") || baseDirectory.isEmpty ? pattern : baseDirectory + "/" + pattern
            var result = glob_t()
            defer { globfree(&result) }
            let status = glob(absolute, 0, nil, &result)
            if status == GLOB_NOMATCH { continue }
            guard status == 0 else {
                throw RuleFilesError(message: "rule_files pattern \"\(pattern)\" could not be expanded (glob error \(status))")
            }
            for index in 0..<Int(result.gl_pathc) {
                guard let pointer = result.gl_pathv[index] else { continue }
                files.insert(String(cString: pointer))
                guard files.count <= maxFiles else {
                    throw RuleFilesError(
                        message: "rule_files patterns match more than \(maxFiles) files; narrow \"\(pattern)\"")
                }
            }
        }
        return files.sorted()
    }
}

/// A `rule_files` pattern could not be expanded.
package struct RuleFilesError: Error, Sendable, Equatable, CustomStringConvertible {
    package let message: String
    package var description: String { message }
}
