import KlaxonConfig
import KlaxonRuntime
import Synchronization

/// What a reload did, for the log, the HTTP answer and the exit status at startup.
package struct ReloadOutcome: Sendable, Equatable {
    /// Whether the new rules are in effect (on failure the previous ones stay).
    package var succeeded: Bool
    /// One sentence: what was loaded, or what was wrong and where.
    package var message: String
    /// The rule files loaded.
    package var files: [String]
}

/// Loads the configuration's rule files at startup and again on `SIGHUP` or `POST /-/reload`.
///
/// A reload re-reads the configuration file (when serve was started with one) for its
/// `rule_files` and `evaluation_interval`; the other settings need a restart. Reloads run one at
/// a time. A failed reload keeps what was loaded before. Readiness turns on after the first
/// successful load and stays on.
package final class ReloadController: Sendable {
    private struct State {
        var configuration: KlaxonConfiguration
        var files: [String] = []
    }

    private let configPath: String?
    private let processEnvironment: [String: String]
    private let logger: Logger
    private let state: Mutex<State>
    private let ready = Atomic<Bool>(false)

    package init(settings: ServerSettings, processEnvironment: [String: String], logger: Logger) {
        configPath = settings.configPath
        self.processEnvironment = processEnvironment
        self.logger = logger
        state = Mutex(State(configuration: settings.configuration))
    }

    /// Whether the rule files have been loaded once (`/-/ready` answers 200).
    package var isReady: Bool { ready.load(ordering: .acquiring) }

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

    /// Re-reads the configuration file and loads its rule files; `reason` goes to the log.
    package func reload(reason: String) -> ReloadOutcome {
        state.withLock { state in
            var configuration = state.configuration
            if let configPath {
                do throws(ConfigErrors) {
                    configuration = try KlaxonConfigurationLoader.load(path: configPath, environment: processEnvironment)
                } catch {
                    let outcome = ReloadOutcome(
                        succeeded: false, message: "configuration \(configPath) is invalid: \(error.description)",
                        files: state.files)
                    log(outcome, reason: reason)
                    return outcome
                }
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
            files = try RuleFiles.expand(configuration.ruleFiles, baseDirectory: configuration.baseDirectory)
        } catch {
            return ReloadOutcome(succeeded: false, message: error.description, files: state.files)
        }
        state.configuration = configuration
        state.files = files
        ready.store(true, ordering: .releasing)
        let message =
            files.isEmpty
            ? "no rule files configured"
            : "found \(files.count) rule file(s); this build does not evaluate rules yet, so none were loaded"
        return ReloadOutcome(succeeded: true, message: message, files: files)
    }

    private func log(_ outcome: ReloadOutcome, reason: String) {
        let metadata = ["reload.reason": reason, "rules.files": "\(outcome.files.count)", "detail": outcome.message]
        if outcome.succeeded {
            logger.info("rules loaded", metadata)
        } else {
            logger.error("rule reload failed; keeping the previous rules", metadata)
        }
    }
}
