import Foundation
import KlaxonMetrics
import KlaxonPromQL
import KlaxonRules
import KlaxonTestSupport
import Synchronization

/// A rule manager wired to an in-memory store, a manual clock and recorders for its output.
final class RuleManagerHarness: Sendable {
    let clock = ManualWallClock(milliseconds: 1_000_000)
    let store = SharedInMemorySeries()
    let recorder = Recorder()
    let manager: RuleManager

    /// What the manager wrote and reported; a class so the dependency closures can share it.
    final class Recorder: Sendable {
        let appended = Mutex<[(owner: String, samples: [RuleSample])]>([])
        let reports = Mutex<[RuleEvaluationReport]>([])
    }

    var appended: [(owner: String, samples: [RuleSample])] { recorder.appended.withLock { $0 } }
    var reports: [RuleEvaluationReport] { recorder.reports.withLock { $0 } }

    init(
        options: RuleManagerOptions = RuleManagerOptions(),
        sleep: (@Sendable (Int64) async throws -> Void)? = nil,
        historyNeeded: @escaping @Sendable (Int64) -> Void = { _ in }
    ) {
        let store = store
        let recorder = recorder
        manager = RuleManager(
            options: options,
            dependencies: RuleManagerDependencies(
                source: store,
                append: { owner, samples in
                    store.append(samples)
                    recorder.appended.withLock { $0.append((owner, samples)) }
                },
                notify: { report in recorder.reports.withLock { $0.append(report) } },
                clock: clock,
                sleep: sleep ?? { milliseconds in try await Task.sleep(for: .milliseconds(milliseconds)) },
                historyNeeded: historyNeeded))
    }

    var now: Int64 { clock.nowMilliseconds() }

    /// Loads rule-file text as if from `file`.
    func load(_ text: String, file: String = "rules.yml") throws {
        let loaded = try RuleFileLoader.load(text, file: file)
        manager.apply(loaded.groups)
    }

    /// Writes `value` for `series` (e.g. `up{job="a"}`) at the clock's time.
    func push(_ series: String, _ value: Double) throws {
        let description = try SeriesDescription.parseLabels(series)
        store.append(description, Sample(timestamp: now, value: value))
    }

    /// Owners that wrote at time `time`.
    func owners(at time: Int64) -> Set<String> {
        Set(appended.filter { $0.samples.contains { $0.sample.timestamp == time } }.map(\.owner))
    }

    /// Transitions reported so far, as `rule:kind`.
    var transitions: [String] {
        reports.flatMap { $0.step.transitions.map { "\($0.rule):\($0.transition.kind.rawValue)" } }
    }
}
