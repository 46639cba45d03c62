import KlaxonConfig
import KlaxonMetrics

extension Router {
    /// Stage 8's start: each notified, unacked alert of an escalating severity waits `after`.
    mutating func startEscalations(for alerts: [AlertEvent], now: Int64) {
        let escalation = settings.routing.escalation
        guard escalation.maxSteps > 0 else { return }
        for alert in alerts where escalation.severities.contains(alert.severity) {
            guard escalations[alert.fingerprint] == nil, acks[alert.fingerprint] == nil else { continue }
            escalations[alert.fingerprint] = EscalationState(nextAt: now &+ escalation.afterMilliseconds, step: 0)
        }
    }

    /// Re-sends every due, still unacked alert to the escalation receivers, one message per
    /// group, every `after`, at most `max` times. A silenced or inhibited alert waits.
    mutating func escalate(now: Int64) -> RoutingOutput {
        var output = RoutingOutput()
        let escalation = settings.routing.escalation
        var dueByGroup: [String: [(AlertEvent, Int)]] = [:]
        for (fingerprint, state) in escalations where state.nextAt <= now {
            guard let alert = firing[fingerprint], let key = groupOfAlert[fingerprint], acks[fingerprint] == nil else {
                escalations[fingerprint] = nil
                continue
            }
            if muteStage(of: alert, now: now) != nil {
                escalations[fingerprint]?.nextAt = now &+ escalation.afterMilliseconds
                continue
            }
            let step = state.step &+ 1
            escalations[fingerprint] =
                step >= escalation.maxSteps
                ? nil : EscalationState(nextAt: now &+ escalation.afterMilliseconds, step: step)
            dueByGroup[key, default: []].append((alert, step))
        }
        for key in dueByGroup.keys.sorted() {
            guard let group = groups[key], let due = dueByGroup[key] else { continue }
            let alerts = due.map(\.0).sorted { $0.fingerprint < $1.fingerprint }
            let step = due.map(\.1).max() ?? 1
            for alert in alerts {
                output.writes.append(.audit(record(.escalated, alert, now, "step \(step) of \(escalation.maxSteps)")))
            }
            output.append(deliver(alerts, group: group, kind: .escalation(step: step), detail: "escalation", now: now))
        }
        return output
    }
}
