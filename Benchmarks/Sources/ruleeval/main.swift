// Evaluates the peers' 200-rule group (gen_rules.py) over 10 000 series holding six minutes of 1 s samples,
// as Prometheus's window holds them after six minutes, and prints Klaxon's figures:
//   - the 200 expressions alone, with KlaxonPromQL.Evaluator at one time;
//   - the whole group as the server runs it: expressions, alert state, label and annotation templates,
//     and the ALERTS / ALERTS_FOR_STATE samples written back into the store — the work that Prometheus's
//     prometheus_rule_group_last_duration_seconds times (bench/rule-eval.sh prints that beside this).
import BenchSupport
import Foundation
import KlaxonConfig
import KlaxonMetrics
import KlaxonPromQL
import KlaxonRules

let options = RuleEvalOptions(CommandLine.arguments.dropFirst())
let bodyBytes: [UInt8]
let ruleBytes: [UInt8]
let families: [ParsedFamily]
let group: LoadedGroup
do {
    bodyBytes = try Workload.body10k()
    ruleBytes = try Workload.rules200()
    families = try TextFormatParser().parse(bodyBytes)
    group = try LoadedGroup(yaml: ruleBytes)
} catch {
    print("ruleeval: \(error)")
    exit(1)
}

// MARK: - Fill the store

// Six minutes of 1 s samples, plus one second per timed group evaluation so that every evaluation sees a
// full window ending at its own time, as Prometheus does while scrapes keep arriving.
let start: Int64 = 1_700_000_000_000
let windowSeconds = options.windowSeconds
let groupEvaluations = options.warmup + options.repetitions
let filledSeconds = windowSeconds + groupEvaluations
let store = SeriesStore(options: SeriesStoreOptions(retention: Int64(filledSeconds + 60) * 1000))
let owner = SeriesOwner.pushGroup(Labels(["job": "bench"]))
let withJob = families.map { family in
    var family = family
    family.samples = family.samples.map { sample in
        var sample = sample
        sample.labels = sample.labels.setting("job", to: "bench")
        return sample
    }
    return family
}
let fillClock = ContinuousClock()
let fillStart = fillClock.now
do {
    var batch = withJob
    for second in 0..<filledSeconds {
        // A small deterministic drift so that ranges are not constant.
        let drift = Double(second % 7 - 3) * 0.25
        for familyIndex in batch.indices {
            for sampleIndex in batch[familyIndex].samples.indices {
                batch[familyIndex].samples[sampleIndex].value =
                    withJob[familyIndex].samples[sampleIndex].value + drift
            }
        }
        try store.append(owner: owner, batch, now: start + Int64(second) * 1000)
    }
} catch {
    print("ruleeval: the store refused the workload: \(error)")
    exit(1)
}
let fillSeconds = Timing.seconds(fillClock.now - fillStart)
let workloadSeries = store.statistics.liveSeries
let firstEvaluation = start + Int64(windowSeconds) * 1000

// MARK: - The 200 expressions alone

let evaluator = Evaluator(source: store)
var resultElements = 0
var failures = 0
let expressionTimes = Timing.measure(repetitions: options.repetitions, warmup: options.warmup) {
    for expr in group.ruleExpressions {
        do {
            if case .vector(let elements) = try evaluator.evaluate(expr, at: firstEvaluation) {
                resultElements &+= elements.count
            }
        } catch {
            failures += 1
        }
    }
}

// MARK: - The whole group, at successive seconds

var state = RuleGroupState(name: group.name, interval: group.interval, rules: group.rules)
var queryTime: [Double] = []
var appendTime: [Double] = []
var currentQuery = 0.0
var currentAppend = 0.0
let query: RuleGroupState.Query = { expression, time in
    let begin = ContinuousClock.now
    defer { currentQuery += Timing.seconds(ContinuousClock.now - begin) }
    guard let expr = group.expressions[expression] else { throw WorkloadError("unparsed expression \(expression)") }
    guard case .vector(let elements) = try evaluator.evaluate(expr, at: time) else {
        throw WorkloadError("expression \(expression) is not an instant vector")
    }
    return elements.map { ($0.labels, $0.value) }
}
let ruleOwner = SeriesOwner.ruleGroup("rules.yml;\(group.name)")
var alertSamples = 0
var groupFailures = 0
var firing = 0
var groupTimes: [Double] = []
let groupClock = ContinuousClock()
for index in 0..<groupEvaluations {
    let now = firstEvaluation + Int64(index) * 1000
    currentQuery = 0
    currentAppend = 0
    let begin = groupClock.now
    let step = state.evaluate(at: now, query: query) { samples in
        guard !samples.isEmpty else { return }
        let appendBegin = ContinuousClock.now
        defer { currentAppend += Timing.seconds(ContinuousClock.now - appendBegin) }
        alertSamples &+= samples.count
        do {
            try store.append(owner: ruleOwner, RuleSamples.families(samples), now: now)
        } catch {
            groupFailures += 1
        }
    }
    let elapsed = Timing.seconds(groupClock.now - begin)
    groupFailures += step.failures.count
    if index >= options.warmup {
        groupTimes.append(elapsed)
        queryTime.append(currentQuery)
        appendTime.append(currentAppend)
    }
    firing = step.transitions.count
}
let alerts = state.rules.reduce(0) { count, rule in
    if case .alerting(let alerting) = rule { count + alerting.active.count } else { count }
}

// MARK: - Report

let expressions = Summary(expressionTimes)
let whole = Summary(groupTimes)
print(
    "ruleeval: \(group.rules.count) rules over \(workloadSeries) series, "
        + "\(filledSeconds) s of 1 s samples (filled in \(Format.fixed(fillSeconds, 1)) s); "
        + "\(options.repetitions) timed runs after \(options.warmup) warm-up")
print(
    "  200 expressions (Evaluator, one time)    median \(Format.millis(expressions.median))  "
        + "p99 \(Format.millis(expressions.p99))  min \(Format.millis(expressions.min))")
print(
    "  whole group (alerts, templates, ALERTS)  median \(Format.millis(whole.median))  "
        + "p99 \(Format.millis(whole.p99))  min \(Format.millis(whole.min))  "
        + "(\(alerts) active alerts, \(failures + groupFailures) failures)")
let queries = Summary(queryTime)
let appends = Summary(appendTime)
let rest = Summary(zip(groupTimes, zip(queryTime, appendTime)).map { $0 - $1.0 - $1.1 })
print(
    "    of which: queries \(Format.millis(queries.median)), ALERTS into the store \(Format.millis(appends.median)), "
        + "alert state and templates \(Format.millis(rest.median)) (medians)")
print("KLAXON_RULEEVAL_EXPR_MEDIAN_SECONDS=\(expressions.median)")
print("KLAXON_RULEEVAL_GROUP_MEDIAN_SECONDS=\(whole.median)")
print("KLAXON_RULEEVAL_GROUP_P99_SECONDS=\(whole.p99)")
if resultElements == 0 && alertSamples == 0 && firing < 0 { print("(no output)") }
