import Foundation
import KlaxonConfig
import KlaxonNotifiers

/// Options of `klaxon demo`: everything `serve` takes, and the demo's own.
package struct DemoOptions: Equatable, Sendable {
    /// The `serve` options (`--config`, `--listen`, `--data`, …).
    package var serve: ServeOptions
    /// `--incident NAME`: inject this incident at once.
    package var incident: String?
    /// `--rules DIR`: the rule pack to load (default: `alert-rules/` found near the binary).
    package var rulesDirectory: String?
    /// `--every DURATION` (default 5m): a new incident this often.
    package var everyMilliseconds: Int64

    package static let defaultEvery: Int64 = 300_000

    package init(
        serve: ServeOptions = ServeOptions(), incident: String? = nil, rulesDirectory: String? = nil,
        everyMilliseconds: Int64 = DemoOptions.defaultEvery
    ) {
        self.serve = serve
        self.incident = incident
        self.rulesDirectory = rulesDirectory
        self.everyMilliseconds = everyMilliseconds
    }

    /// Turns resolved `serve` settings into the demo's: the shipped rule pack loaded, the console
    /// receiver added to every severity of the environment's policy, and, when neither `--data`
    /// nor a config file says where, state in a fresh temporary directory so each demo starts clean.
    package func prepare(
        _ settings: inout ServerSettings, candidates: [String], temporaryDirectory: String
    ) throws(DemoSetupError) {
        if let incident, DemoIncident.named(incident) == nil {
            throw DemoSetupError(
                "no demo incident '\(incident)'; known: \(DemoIncident.all.map(\.name).joined(separator: ", "))")
        }
        let searched = rulesDirectory.map { [$0] } ?? candidates
        guard let rules = searched.first(where: Self.holdsRuleFiles) else {
            throw DemoSetupError(
                "cannot find the rule pack (alert-rules/) in \(searched.joined(separator: ", ")); pass --rules DIR")
        }
        var configuration = settings.configuration
        configuration.ruleFiles.append((rules as NSString).appendingPathComponent("*.yml"))
        let environment = configuration.environment
        var policy = configuration.routing.policy.receivers[environment] ?? [:]
        for severity in Severity.allCases where !(policy[severity] ?? []).contains(ConsoleNotifier.receiverName) {
            policy[severity, default: []].append(ConsoleNotifier.receiverName)
        }
        configuration.routing.policy.receivers[environment] = policy
        if serve.dataDirectory == nil && serve.configPath == nil {
            configuration.dataDirectory = temporaryDirectory
            configuration.placeStoreInDataDirectory()
        }
        settings.configuration = configuration
    }

    /// Where `alert-rules/` usually is: the working directory, the source tree the binary was
    /// built in (a parent of `.build/…/klaxon`), and the container image's `/etc/alert-rules`.
    package static func ruleCandidates(executable: String, workingDirectory: String) -> [String] {
        var candidates = [(workingDirectory as NSString).appendingPathComponent("alert-rules")]
        var directory = ((executable as NSString).resolvingSymlinksInPath as NSString).deletingLastPathComponent
        for _ in 0..<4 where directory.count > 1 {
            directory = (directory as NSString).deletingLastPathComponent
            candidates.append((directory as NSString).appendingPathComponent("alert-rules"))
        }
        return candidates + ["/etc/alert-rules"]
    }

    private static func holdsRuleFiles(_ directory: String) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.contains { $0.hasSuffix(".yml") }
    }
}

/// Why `klaxon demo` cannot start.
package struct DemoSetupError: Error, Sendable, CustomStringConvertible {
    package var description: String

    init(_ description: String) {
        self.description = description
    }
}
