import Glibc
import KlaxonConfig
import KlaxonHTTP
import KlaxonRules
import KlaxonRuntime
import Synchronization

/// What a reload did, for the log, the HTTP answer and the exit status at startup.
package struct ReloadOutcome: Sendable, Equatable {
    /// Whether the new rules are in effect (on failure the previous ones stay).
    package var succeeded: Bool
    /// One sentence: what was loaded, or what was wrong.
    package var message: String
    /// The rule files loaded (after a failure: those still in effect).
    package var files: [String]
    /// Every problem found, one `file:line:column: message` each; empty on success.
    package var problems: [String] = []
}

/// Loads the configuration's rule files at startup and again on `SIGHUP` or `POST /-/reload`.
///
/// A reload re-reads the configuration file (when serve was started with one) for its
/// `rule_files`; the other settings, `evaluation_interval` included, need a restart. Reloads run
/// one at a time. A failed reload keeps the rules loaded before, with their alert state.
/// Readiness turns on after the first successful load and stays on.
///
/// It also serves `GET /-/healthy`, `GET /-/ready` and `POST|PUT /-/reload` as Prometheus answers
/// them: healthy while the process serves HTTP, ready once the rule files are loaded, and a
/// reload answered 200, or 500 with every problem when the previous rules stay.
package final class ReloadController: Sendable {
    private struct State {
        var configuration: KlaxonConfiguration
        var files: [String] = []
    }

    private let configPath: String?
    private let overrides: SettingOverrides
    private let rules: RuleManager
    private let processEnvironment: [String: String]
    private let logger: Logger
    private let state: Mutex<State>
    private let ready = Atomic<Bool>(false)

    package init(settings: ServerSettings, rules: RuleManager, processEnvironment: [String: String], logger: Logger) {
        configPath = settings.configPath
        overrides = settings.overrides
        self.rules = rules
        self.processEnvironment = processEnvironment
        self.logger = logger
        state = Mutex(State(configuration: settings.configuration))
    }

    /// Whether the rule files have been loaded once (`/-/ready` answers 200).
    package var isReady: Bool { ready.load(ordering: .acquiring) }

    /// The configuration as the last start or reload resolved it (flags applied again over the file).
    package var configuration: KlaxonConfiguration { state.withLock { $0.configuration } }

    /// The rule files currently loaded.
    package var files: [String] { state.withLock { $0.files } }

    /// The first load, before serving: uses the configuration serve started with.
    package func loadInitial() -> ReloadOutcome {
        state.withLock { state in
            let outcome = load(state.configuration, into: &state)
            log(outcome, reason: "startup")
            return outcome
        }
    }

    /// Re-reads the configuration file, resolved as at start (environment, then the same flags),
    /// and loads its rule files; `reason` goes to the log.
    package func reload(reason: String) -> ReloadOutcome {
        state.withLock { state in
            var configuration = state.configuration
            if let configPath {
                do throws(SettingsError) {
                    configuration = try SettingsResolver.resolve(
                        configPath: configPath, processEnvironment: processEnvironment, overrides: overrides
                    ).configuration
                } catch {
                    let problems: [String] =
                        switch error {
                        case .configuration(let errors): errors.errors.map(\.description)
                        case .environmentVariable(let message): [message]
                        }
                    let outcome = ReloadOutcome(
                        succeeded: false,
                        message: "the configuration \(configPath) is invalid; the rules stay as they were",
                        files: state.files, problems: problems)
                    log(outcome, reason: reason)
                    return outcome
                }
                state.configuration = configuration
            }
            let outcome = load(configuration, into: &state)
            log(outcome, reason: reason)
            return outcome
        }
    }

    // MARK: - Loading

    private func load(_ configuration: KlaxonConfiguration, into state: inout State) -> ReloadOutcome {
        let files: [String]
        do {
            files = try Self.expand(configuration.ruleFiles, baseDirectory: configuration.baseDirectory)
        } catch {
            return ReloadOutcome(
                succeeded: false, message: error.description, files: state.files, problems: [error.description])
        }
        do {
            try rules.reload(files: files)
        } catch {
            return ReloadOutcome(
                succeeded: false,
                message: "\(error.errors.count) problem(s) in the rule files; the rules stay as they were",
                files: state.files, problems: error.errors.map(\.description))
        }
        state.configuration = configuration
        state.files = files
        ready.store(true, ordering: .releasing)
        let status = rules.status
        let message =
            "loaded \(status.groupCount) rule group(s) with \(status.ruleCount) rule(s) from \(files.count) file(s)"
        return ReloadOutcome(succeeded: true, message: message, files: files)
    }

    private func log(_ outcome: ReloadOutcome, reason: String) {
        let metadata = ["reload.reason": reason, "rule.files": "\(outcome.files.count)", "detail": outcome.message]
        if outcome.succeeded {
            logger.info("rule files loaded", metadata)
        } else {
            var withProblems = metadata
            withProblems["problems"] = outcome.problems.prefix(20).joined(separator: "; ")
            logger.error("rule reload failed; keeping the previous rules", withProblems)
        }
    }

    // MARK: - Routes

    /// The routes `register(in:)` mounts.
    package static let paths = ["/-/healthy", "/-/ready", "/-/reload"]

    /// Mounts `/-/healthy`, `/-/ready` and `/-/reload`.
    package func register(in router: inout HTTPRouter) {
        router.add("GET", "/-/healthy") { _ in .text("Klaxon is Healthy.\n") }
        router.add("GET", "/-/ready") { [self] _ in
            isReady
                ? .text("Klaxon is Ready.\n")
                : .text("Service Unavailable: the rule files are not loaded yet.\n", status: .serviceUnavailable)
        }
        for method in ["POST", "PUT"] {
            // Reading and compiling rule files can take long: it runs on a worker thread.
            router.add(method, "/-/reload", execution: .worker) { [self] _ in
                let outcome = reload(reason: "http")
                guard outcome.succeeded else {
                    let lines = ([outcome.message] + outcome.problems).joined(separator: "\n")
                    return .text("failed to reload: \(lines)\n", status: .internalServerError)
                }
                return .text(outcome.message + "\n")
            }
        }
    }

    // MARK: - Rule file patterns

    /// Most files the patterns may match together; a pattern like `/**` must not load a disk.
    static let maxRuleFiles = 10_000

    /// The files matching `patterns`, relative ones resolved against `baseDirectory`, sorted and
    /// without duplicates. A pattern matching nothing contributes nothing (as in Prometheus).
    static func expand(_ patterns: [String], baseDirectory: String) throws(RuleFilesError) -> [String] {
        var files: Set<String> = []
        for pattern in patterns {
            let absolute = pattern.hasPrefix("/") || baseDirectory.isEmpty ? pattern : baseDirectory + "/" + pattern
            var result = glob_t()
            defer { globfree(&result) }
            let status = glob(absolute, 0, nil, &result)
            if status == GLOB_NOMATCH { continue }
            guard status == 0 else {
                throw RuleFilesError(
                    message: "rule_files pattern \"\(pattern)\" could not be expanded (glob error \(status))")
            }
            for index in 0..<Int(result.gl_pathc) {
                guard let pointer = result.gl_pathv[index] else { continue }
                files.insert(String(cString: pointer))
                guard files.count <= maxRuleFiles else {
                    throw RuleFilesError(
                        message: "rule_files patterns match more than \(maxRuleFiles) files; narrow \"\(pattern)\"")
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
