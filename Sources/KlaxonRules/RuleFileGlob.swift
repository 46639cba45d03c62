#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Expands rule-file patterns (`rules/*.yml`) as Prometheus's `rule_files` and promtool do.
package enum RuleFileGlob {
    /// Most files one pattern may match.
    package static let maximumMatches = 10_000

    /// The files matching `pattern`, sorted; a pattern without wildcards matches itself only if it exists.
    package static func expand(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<min(Int(result.gl_pathc), maximumMatches) {
            if let path = result.gl_pathv[index] { paths.append(String(cString: path)) }
        }
        return paths.sorted()
    }
}
