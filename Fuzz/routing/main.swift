import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting

/// Feeds arbitrary bytes to the `routing:` section of klaxon.yml and, when it loads, routes a
/// small storm through a router built from it (group timers, inhibition, rate limit, escalation,
/// snapshot and restore); each line is also read as an Alertmanager matcher. Nothing may trap.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n").prefix(16) {
        if let matcher = try? LabelMatcher(parsing: String(line)) {
            _ = try? LabelMatcher(parsing: matcher.text)
        }
    }
    guard
        let configuration = try? KlaxonConfigurationLoader.parse(
            bytes: bytes, file: "fuzz.yml", environment: ["KLAXON_ENV": size % 3 == 0 ? "prod" : "dev"])
    else { return 0 }
    var router = Router(
        settings: RouterSettings(
            routing: configuration.routing, environment: configuration.environment, instance: "fuzz",
            configuredReceivers: ["telegram", "slack"]))
    let seed = bytes.reduce(UInt64(1_469_598_103_934_665_603)) { ($0 ^ UInt64($1)) &* 1_099_511_628_211 }
    var now: Int64 = Int64(seed % 1_000_000)
    var events: [AlertEvent] = []
    for index in 0..<12 {
        let severity = Severity(rawValue: Int((seed >> UInt64(index)) % 4)) ?? .p3
        let labels = Labels([
            "alertname": "A\(index % 3)", "severity": severity.name, "source": index % 2 == 0 ? "RiskGuard" : "",
            "rule_id": index % 4 == 0 ? "D75.RISK_GUARD.GLOBAL_BLOCK" : "D75.HEALTH.DOWN", "exchange": "e\(index % 2)",
        ])
        events.append(AlertEvent(labels: labels, status: .firing, activeAt: now, startsAt: now))
    }
    _ = router.receive(events, now: now)
    for step in 0..<8 {
        now = now &+ Int64((seed >> UInt64(step * 3)) % 400_000)
        _ = router.tick(now: now)
        if step == 3 { _ = router.receive(events.prefix(4).map { resolve($0, now) }, now: now) }
    }
    let text = router.snapshot.encoded()
    var restored = Router(settings: router.settings)
    if let snapshot = try? RouterSnapshot(decoding: text) {
        try? restored.restore(snapshot, silences: [], acks: [], now: now)
        _ = restored.tick(now: now &+ 3_600_000)
    }
    return 0
}

private func resolve(_ event: AlertEvent, _ now: Int64) -> AlertEvent {
    var copy = event
    copy.status = .resolved
    copy.resolvedAt = now
    return copy
}
