import KlaxonConfig
import KlaxonMetrics

extension Router {
    /// Flushes every group whose time has come.
    mutating func flushDue(now: Int64) -> RoutingOutput {
        var output = RoutingOutput()
        let due = groups.values.filter { ($0.nextFlushAt ?? Int64.max) <= now }.map(\.key).sorted()
        for key in due { output.append(flush(key, now: now)) }
        return output
    }

    /// Stages 2–4 for one alert at flush time: the first of inhibition, silence and ack that
    /// mutes it, with a detail for the audit trail.
    func muteStage(of alert: AlertEvent, now: Int64) -> (stage: SuppressionStage, detail: String)? {
        if let source = inhibitor.inhibitor(of: alert.labels, among: firing.values) {
            return (.inhibited, "inhibited by \(source.alertName) \(source.fingerprint)")
        }
        if let silence = silences.values.first(where: { $0.mutes(alert.labels, at: now) }) {
            return (.silenced, "silence \(silence.id) by \(silence.createdBy)")
        }
        if let ack = acks[alert.fingerprint], ack.isActive(at: now) {
            return (.acked, "acked by \(ack.by)")
        }
        return nil
    }

    /// Looks at one group: which firing alerts are muted (audited once per mute), whether
    /// anything is new, resolved or due for a repeat (dedupe), and sends what is.
    mutating func flush(_ key: String, now: Int64) -> RoutingOutput {
        var output = RoutingOutput()
        guard var group = groups.removeValue(forKey: key) else { return output }
        let timings = timings(group.severity)
        var firingToSend: [AlertEvent] = []
        var resolvedToSend: [AlertEvent] = []
        for alert in group.alerts.values.sorted(by: { $0.fingerprint < $1.fingerprint }) {
            if alert.status == .resolved {
                if group.notified.contains(alert.fingerprint) && settings.routing.sendResolved {
                    resolvedToSend.append(alert)
                }
                continue
            }
            if let mute = muteStage(of: alert, now: now) {
                if suppressedBy[alert.fingerprint] != mute.stage {
                    suppressedBy[alert.fingerprint] = mute.stage
                    output.writes.append(.audit(suppression(mute.stage, alert, now, mute.detail)))
                }
                continue
            }
            suppressedBy[alert.fingerprint] = nil
            firingToSend.append(alert)
        }
        let newlyFiring = firingToSend.contains { !group.notified.contains($0.fingerprint) }
        let repeatDue = group.lastNotifiedAt.map { now >= $0 &+ timings.repeatInterval } ?? true
        let send = newlyFiring || !resolvedToSend.isEmpty || (!firingToSend.isEmpty && repeatDue)
        for alert in group.alerts.values where alert.status == .resolved {
            group.alerts[alert.fingerprint] = nil
            group.notified.remove(alert.fingerprint)
            groupOfAlert[alert.fingerprint] = nil
        }
        if send {
            group.notified.formUnion(firingToSend.map(\.fingerprint))
            group.lastNotifiedAt = now
            output.append(
                deliver(
                    firingToSend + resolvedToSend, group: group, kind: .alerts,
                    detail: newlyFiring || !resolvedToSend.isEmpty ? "" : "repeat", now: now))
            startEscalations(for: firingToSend, now: now)
        }
        if group.alerts.isEmpty {
            groups[key] = nil
            return output
        }
        let notifiedFiring = group.alerts.values.contains {
            $0.status == .firing && group.notified.contains($0.fingerprint)
        }
        group.nextFlushAt = notifiedFiring ? (group.lastNotifiedAt ?? now) &+ timings.repeatInterval : nil
        groups[key] = group
        return output
    }

    /// Stages 6, 7 and 9: the rate limit, the channel policy, one outbox entry per receiver.
    mutating func deliver(
        _ alerts: [AlertEvent], group: AggregationGroup, kind: Notification.Kind, detail: String, now: Int64
    ) -> RoutingOutput {
        var output = RoutingOutput()
        guard !alerts.isEmpty else { return output }
        var receivers: [String]
        if case .escalation = kind {
            receivers = settings.escalationReceivers(for: group.severity)
        } else {
            receivers = settings.receivers(for: group.severity)
        }
        // A receiver that keeps failing is reported to the others, never to itself.
        let failing = Set(
            alerts.filter { $0.alertName == RouterSettings.notifierFailingAlert }.compactMap { $0.labels["receiver"] })
        if !failing.isEmpty && !receivers.isEmpty {
            receivers.removeAll { failing.contains($0) }
            if receivers.isEmpty { receivers = [RouterSettings.logReceiver] }
        }
        guard !receivers.isEmpty else {
            for alert in alerts {
                output.writes.append(
                    .audit(suppression(.noReceiver, alert, now, "\(settings.environment.rawValue) policy: audit only")))
            }
            return output
        }
        if case .alerts = kind, !settings.routing.skipThrottle {
            let admitted = rateLimiter.admit(
                severity: group.severity, source: group.source, limit: timings(group.severity).rateLimitPerMinute,
                alertNames: alerts.map(\.alertName), now: now)
            guard admitted else {
                for alert in alerts {
                    output.writes.append(
                        .audit(suppression(.rateLimited, alert, now, "counted into the window's summary")))
                }
                return output
            }
        }
        for receiver in receivers {
            let notification = Notification(
                id: NotificationID.make(receiver: receiver, groupKey: group.key, kind: kind, alerts: alerts, now: now),
                receiver: receiver, kind: kind, groupKey: group.key, groupLabels: group.labels,
                severity: group.severity, alerts: alerts, createdAt: now, externalURL: settings.externalURL)
            output.writes.append(.enqueue(OutboxEntry(notification: notification, nextAttemptAt: now, updatedAt: now)))
            output.queued += 1
            for alert in alerts {
                var queued = record(.queued, alert, now, detail)
                queued.receiver = receiver
                output.writes.append(.audit(queued))
            }
        }
        return output
    }

    /// Stage 6's other half: one summary per closed rate-limit window that held something back,
    /// to the receivers of its severity.
    mutating func sendSummaries(now: Int64) -> RoutingOutput {
        var output = RoutingOutput()
        for summary in rateLimiter.closeWindows(at: now) {
            let labels = Labels([Label("severity", summary.severity.name), Label("source", summary.source)])
            for receiver in settings.receivers(for: summary.severity) {
                let kind = Notification.Kind.rateLimitSummary(summary)
                let notification = Notification(
                    id: NotificationID.make(
                        receiver: receiver, groupKey: labels.description, kind: kind, alerts: [], now: now),
                    receiver: receiver, kind: kind, groupKey: labels.description, groupLabels: labels,
                    severity: summary.severity, alerts: [], createdAt: now, externalURL: settings.externalURL)
                output.writes.append(
                    .enqueue(OutboxEntry(notification: notification, nextAttemptAt: now, updatedAt: now)))
                output.queued += 1
                var queued = AuditRecord(
                    time: now, kind: .queued, instance: settings.instance, severity: summary.severity,
                    source: summary.source, receiver: receiver, detail: summary.sentence)
                queued.labels = labels
                output.writes.append(.audit(queued))
            }
        }
        return output
    }
}
