import Foundation
import KlaxonConfig
import KlaxonMetrics
import KlaxonPromQL

/// Reads Prometheus rule files (`groups:` → rules) with rulefmt's validation, plus Klaxon's
/// label policy when asked. Every problem of a file is reported at once, each with
/// `file:line:column`; unknown keys are errors, as with Prometheus's strict decoding.
package enum RuleFileLoader {
    /// The largest rule file read; Prometheus's biggest real packs are a few megabytes.
    package static let maximumFileSize = 8 << 20

    static let groupKeys = ["name", "interval", "limit", "rules", "eval_on_push"]

    /// Reads and loads the file at `path`; the path is also the name errors carry.
    package static func load(path: String, options: RuleLoadOptions = .klaxon) throws(ConfigErrors) -> RuleFile {
        let bytes: [UInt8]
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            guard size <= maximumFileSize else {
                throw ConfigErrors([
                    ConfigError(
                        file: path, mark: Mark(line: 1, column: 1), path: .root,
                        message: "rule file is \(size) bytes; the limit is \(maximumFileSize) bytes")
                ])
            }
            bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        } catch let error as ConfigErrors {
            throw error
        } catch {
            throw ConfigErrors([
                ConfigError(
                    file: path, mark: Mark(line: 1, column: 1), path: .root,
                    message: "cannot read rule file: \(error.localizedDescription)")
            ])
        }
        return try load(bytes: bytes, file: path, options: options)
    }

    /// Loads a rule file from text.
    package static func load(_ text: String, file: String, options: RuleLoadOptions = .klaxon) throws(ConfigErrors)
        -> RuleFile
    {
        try load(bytes: Array(text.utf8), file: file, options: options)
    }

    /// Loads a rule file from UTF-8 bytes.
    package static func load(bytes: [UInt8], file: String, options: RuleLoadOptions = .klaxon) throws(ConfigErrors)
        -> RuleFile
    {
        let diagnostics = ConfigDiagnostics(file: file)
        let source = SourceLines(bytes)
        var groups: [RuleGroupDefinition] = []
        if let document = diagnostics.parseDocument(bytes: bytes),
            let root = diagnostics.root(document, allowedKeys: ["groups"])
        {
            var seenNames: Set<String> = []
            for group in root.sequence("groups") ?? [] {
                let context = RuleDecoding(diagnostics: diagnostics, source: source, options: options, file: file)
                if let definition = context.group(group, seenNames: &seenNames) { groups.append(definition) }
            }
        }
        try diagnostics.throwIfFailed()
        return RuleFile(file: file, groups: groups)
    }
}

/// The lines of a file, to find where a block scalar's text starts.
struct SourceLines {
    private let lines: [Substring]

    init(_ bytes: [UInt8]) {
        // Lines break at LF, CR LF or a lone CR, as the YAML parser counts them.
        lines = String(decoding: bytes, as: UTF8.self).split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\r\n" })
    }

    /// Leading spaces of the first non-blank line after `line` (1-based), and that line's number.
    func contentStart(after line: Int) -> (line: Int, indent: Int)? {
        var index = line
        while index < lines.count {
            let text = lines[index]
            if !text.allSatisfy({ $0 == " " || $0 == "\r" }) {
                return (index + 1, text.prefix { $0 == " " }.count)
            }
            index += 1
        }
        return nil
    }
}

/// Decoding state for one group: where problems go and how rules are checked.
struct RuleDecoding {
    let diagnostics: ConfigDiagnostics
    let source: SourceLines
    let options: RuleLoadOptions
    let file: String

    func group(_ value: ValueReader, seenNames: inout Set<String>) -> RuleGroupDefinition? {
        guard let reader = value.mapping(allowedKeys: RuleFileLoader.groupKeys) else { return nil }
        let name = reader.required("name")?.string()
        if let name {
            if name.isEmpty {
                reader.fail(key: "name", "group name must not be empty")
            } else if !seenNames.insert(name).inserted {
                reader.fail(
                    key: "name", "group name \"\(name)\" is repeated in the same file; group names must be unique")
            }
        }
        var interval = options.defaultInterval
        if let written = reader.durationMilliseconds("interval") {
            if written <= 0 {
                reader.fail(key: "interval", "must be greater than 0")
            } else {
                interval = written
            }
        }
        let limit = reader.int("limit", in: 0...Int(Int32.max)) ?? 0
        let evalOnPush = reader.bool("eval_on_push") ?? true
        var rules: [RuleDefinition] = []
        for (index, rule) in (reader.sequence("rules") ?? []).enumerated() {
            if let definition = self.rule(rule, index: index + 1, group: name ?? "") { rules.append(definition) }
        }
        guard let name, !name.isEmpty else { return nil }
        return RuleGroupDefinition(
            file: file, name: name, interval: interval, limit: limit, evalOnPush: evalOnPush, rules: rules)
    }
}
