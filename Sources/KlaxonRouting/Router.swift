import KlaxonConfig
import KlaxonMetrics

/// Decides who hears about which alert, and when: a pure state machine with time passed in.
///
/// Each alert event goes through the pipeline in order — disabled switches and `min_severity`,
/// grouping, then at each flush of its group inhibition, silences, acks, dedupe, the rate limit,
/// the channel policy and escalation — and every decision comes back as store writes: audit
/// records, outbox entries, acks, silences. The caller applies them (one transaction), wakes
/// the deliverer, and calls `tick(now:)` at `nextDeadline`.
package struct Router: Sendable {
    package private(set) var settings: RouterSettings
    var groups: [String: AggregationGroup] = [:]
    /// Every alert known to fire, grouped or not (inhibition reads sources from here).
    var firing: [Fingerprint: AlertEvent] = [:]
    /// The group of each grouped alert.
    var groupOfAlert: [Fingerprint: String] = [:]
    var silences: [String: Silence] = [:]
    /// Silences whose expiry is already in the audit trail.
    var expiredSilences: Set<String> = []
    var acks: [Fingerprint: Ack] = [:]
    var escalations: [Fingerprint: EscalationState] = [:]
    var rateLimiter = RateLimiter()
    /// The stage each muted alert was last recorded as suppressed by, so each mute is audited once.
    var suppressedBy: [Fingerprint: SuppressionStage] = [:]
    let inhibitor: Inhibitor

    package init(settings: RouterSettings) {
        self.settings = settings
        self.inhibitor = Inhibitor(rules: settings.routing.inhibitRules)
    }

    /// The earliest time `tick(now:)` has work to do; nil when nothing waits.
    package var nextDeadline: Int64? {
        var deadlines: [Int64] = groups.values.compactMap(\.nextFlushAt)
        deadlines += escalations.values.map(\.nextAt)
        if let window = rateLimiter.nextDeadline { deadlines.append(window) }
        deadlines += acks.values.compactMap(\.expiresAt)
        deadlines += silences.values.filter { !expiredSilences.contains($0.id) && $0.endsAt != Int64.max }.map(\.endsAt)
        return deadlines.min()
    }

    /// Active silences, newest first.
    package var allSilences: [Silence] { silences.values.sorted { $0.updatedAt > $1.updatedAt } }

    /// Current acks by alert.
    package var allAcks: [Fingerprint: Ack] { acks }

    /// The alerts firing now, in fingerprint order.
    package var firingAlerts: [AlertEvent] { firing.values.sorted { $0.fingerprint < $1.fingerprint } }

    // MARK: - Alert events

    /// Routes alert events (firing or resolved) that arrived at `now`; due groups flush at once.
    package mutating func receive(_ events: [AlertEvent], now: Int64) -> RoutingOutput {
        var output = RoutingOutput()
        var touched: Set<String> = []
        var muteInputsChanged = false
        for event in events {
            switch event.status {
            case .firing: receiveFiring(event, now: now, touched: &touched, into: &output)
            case .resolved: receiveResolved(event, now: now, touched: &touched, into: &output)
            }
            if isInhibitionSource(event.labels) { muteInputsChanged = true }
        }
        if muteInputsChanged { rescheduleGroupsWithFiringAlerts(now: now) }
        output.append(flushDue(now: now))
        return output
    }

    private mutating func receiveFiring(
        _ event: AlertEvent, now: Int64, touched: inout Set<String>, into output: inout RoutingOutput
    ) {
        let fingerprint = event.fingerprint
        let wasFiring = firing[fingerprint] != nil
        firing[fingerprint] = event
        // Groups are taken out of the dictionary while they change: a copy left inside would make
        // every change copy the group's alerts (a rule over 10 000 series took seconds).
        if let key = groupOfAlert[fingerprint], groups[key]?.alerts[fingerprint] != nil,
            var group = groups.removeValue(forKey: key)
        {
            let previous = group.alerts[fingerprint]
            group.alerts[fingerprint] = event
            if previous?.status == .resolved || !wasFiring {
                output.writes.append(.audit(record(.fired, event, now)))
                group.scheduleChange(at: now, timings: timings(group.severity))
            } else {
                output.writes.append(.audit(suppression(.deduplicated, event, now, "already firing")))
            }
            groups[key] = group
            touched.insert(key)
            return
        }
        if wasFiring {
            output.writes.append(.audit(suppression(.deduplicated, event, now, "already firing")))
            return
        }
        output.writes.append(.audit(record(.fired, event, now)))
        if let stage = switchedOff(event) {
            output.writes.append(.audit(suppression(stage, event, now, "")))
            return
        }
        // Audit only in this environment: recorded at once, nothing to group or wait for.
        if settings.receivers(for: event.severity).isEmpty {
            output.writes.append(
                .audit(suppression(.noReceiver, event, now, "\(settings.environment.rawValue) policy: audit only")))
            return
        }
        let (key, labels) = AggregationGroup.key(for: event, groupBy: settings.routing.groupBy)
        var group =
            groups.removeValue(forKey: key)
            ?? AggregationGroup(
                key: key, labels: labels, severity: event.severity, source: event.source, createdAt: now)
        group.alerts[fingerprint] = event
        group.scheduleChange(at: now, timings: timings(group.severity))
        groups[key] = group
        groupOfAlert[fingerprint] = key
        touched.insert(key)
    }

    private mutating func receiveResolved(
        _ event: AlertEvent, now: Int64, touched: inout Set<String>, into output: inout RoutingOutput
    ) {
        let fingerprint = event.fingerprint
        firing[fingerprint] = nil
        output.writes.append(.audit(record(.resolved, event, now)))
        if let ack = acks.removeValue(forKey: fingerprint) {
            output.writes.append(.removeAck(fingerprint))
            output.writes.append(.audit(record(.unacked, event, now, "alert resolved; ack by \(ack.by) lapsed")))
        }
        escalations[fingerprint] = nil
        suppressedBy[fingerprint] = nil
        for (id, silence) in silences where silence.untilResolved == fingerprint && silence.state(at: now) != .expired {
            output.append(expireSilence(id: id, now: now, reason: "alert resolved"))
        }
        guard let key = groupOfAlert[fingerprint], var group = groups.removeValue(forKey: key) else { return }
        if group.notified.contains(fingerprint) && settings.routing.sendResolved {
            group.alerts[fingerprint] = event
            group.scheduleChange(at: now, timings: timings(group.severity))
        } else {
            group.alerts[fingerprint] = nil
            group.notified.remove(fingerprint)
            groupOfAlert[fingerprint] = nil
        }
        groups[key] = group
        touched.insert(key)
    }

    /// True when `labels` match some inhibit rule's source matchers: its coming or going may
    /// mute or release other alerts.
    private func isInhibitionSource(_ labels: Labels) -> Bool {
        settings.routing.inhibitRules.contains { rule in rule.sourceMatchers.allSatisfy { $0.matches(labels) } }
    }

    /// Stages 1 and 2: `disabled_alerts` and `min_severity`.
    private func switchedOff(_ event: AlertEvent) -> SuppressionStage? {
        let disabled = settings.routing.disabledAlerts
        if disabled.contains(event.alertName) || (!event.ruleID.isEmpty && disabled.contains(event.ruleID)) {
            return .disabled
        }
        if event.severity > settings.routing.minSeverity { return .belowMinSeverity }
        return nil
    }

    // MARK: - Time

    /// Does what is due at `now`: group flushes, escalations, closing rate-limit windows (with
    /// their summaries), ack and silence expiry.
    package mutating func tick(now: Int64) -> RoutingOutput {
        var output = RoutingOutput()
        output.append(expireAcksAndSilences(now: now))
        output.append(flushDue(now: now))
        output.append(escalate(now: now))
        output.append(sendSummaries(now: now))
        return output
    }

    func timings(_ severity: Severity) -> SeverityTimings { settings.routing.timings(for: severity) }

    /// Inhibition, silences and acks may have changed: every group with firing alerts is looked
    /// at again when its timing allows.
    mutating func rescheduleGroupsWithFiringAlerts(now: Int64) {
        for (key, var group) in groups where group.alerts.values.contains(where: { $0.status == .firing }) {
            let wasDue = group.nextFlushAt
            group.scheduleChange(at: now, timings: timings(group.severity))
            if group.nextFlushAt != wasDue { groups[key] = group }
        }
    }

    // MARK: - Audit records

    func record(_ kind: AuditKind, _ alert: AlertEvent, _ now: Int64, _ detail: String = "") -> AuditRecord {
        var record = AuditRecord(time: now, kind: kind, alert: alert, detail: detail)
        record.instance = settings.instance
        return record
    }

    func suppression(_ stage: SuppressionStage, _ alert: AlertEvent, _ now: Int64, _ detail: String) -> AuditRecord {
        var record = record(.suppressed, alert, now, detail)
        record.stage = stage
        return record
    }
}

/// An unacked urgent alert waiting for its next escalation.
struct EscalationState: Sendable, Equatable {
    var nextAt: Int64
    /// Escalations sent so far.
    var step: Int
}
