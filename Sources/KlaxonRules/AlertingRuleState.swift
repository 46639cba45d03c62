import KlaxonMetrics
import KlaxonTemplate

/// The alerts of one alerting rule and how they move between states, as Prometheus 2.42's
/// `AlertingRule.Eval` moves them. A pure value: every step takes the rule's query result and
/// the evaluation time, and returns what changed and the samples to write.
package struct AlertingRuleState: Sendable {
    /// How long a resolved alert is kept (and re-sent) before it is forgotten: 15 minutes.
    package static let resolvedRetention: Int64 = 15 * 60 * 1000

    package let rule: AlertingRule
    /// External labels and URL offered to templates as `$externalLabels` and `$externalURL`.
    package var externalLabels: Labels
    package var externalURL: String
    /// Pending, firing, and recently resolved alerts, by fingerprint of their labels.
    package private(set) var active: [Fingerprint: Alert] = [:]
    /// Restored alerts whose series have not been seen since the restart, and until when their
    /// absence is put down to the restart (pushed series live in memory and come back with the
    /// next push) rather than to the condition clearing.
    private var restoredHold: [Fingerprint: Int64] = [:]

    /// What one evaluation step produced.
    package struct Evaluation: Sendable, Equatable {
        /// State changes, ordered by alert labels.
        package var transitions: [AlertTransition]
        /// `ALERTS` and `ALERTS_FOR_STATE` for every pending or firing alert, ordered by labels.
        package var samples: [RuleSample]
        /// Label or annotation templates that failed to expand (the alert carries the error text).
        package var expansionErrors: [TemplateError] = []
    }

    package init(rule: AlertingRule, externalLabels: Labels = .empty, externalURL: String = "") {
        self.rule = rule
        self.externalLabels = externalLabels
        self.externalURL = externalURL
    }

    /// Alerts in label order, resolved ones included.
    package var alerts: [Alert] { active.values.sorted { $0.labels < $1.labels } }

    /// The highest state among the rule's alerts.
    package var state: AlertState { active.values.map(\.state).max() ?? .inactive }

    /// Puts back alerts saved before a restart, so `for` timers continue where they were.
    ///
    /// Until `holdUntil` (Unix ms), a restored alert whose series is missing keeps its state
    /// instead of resolving: after a restart the pushed series are gone until the engine pushes
    /// again, and a resolution followed by a new page would tell the on-call engineer nothing true.
    package mutating func restore(_ alerts: [Alert], holdUntil: Int64? = nil) {
        for alert in alerts {
            active[alert.fingerprint] = alert
            if let holdUntil { restoredHold[alert.fingerprint] = holdUntil }
        }
    }

    // MARK: - Evaluation

    /// One evaluation at `now` (Unix ms) with the expression's result.
    ///
    /// Two elements that end up with the same alert labels make the whole step fail with
    /// Prometheus's error and leave the state untouched. With `limit` > 0, more pending and
    /// firing alerts than `limit` clear all alerts and fail, as Prometheus's group `limit` does.
    package mutating func evaluate(
        _ result: [(labels: Labels, value: Double)], at now: Int64, limit: Int = 0
    ) throws(RuleError) -> Evaluation {
        var current: [Fingerprint: Alert] = [:]
        var expansionErrors: [TemplateError] = []
        for element in result {
            let data = AlertTemplateData(
                labels: element.labels, externalLabels: externalLabels, externalURL: externalURL, value: element.value)
            let labels = rule.alertLabels(series: element.labels, data: data, errors: &expansionErrors)
            let fingerprint = Fingerprint(labels)
            guard current[fingerprint] == nil else { throw RuleError.duplicateLabelSet(rule: rule.name) }
            current[fingerprint] = Alert(
                state: .pending, labels: labels,
                annotations: rule.alertAnnotations(data: data, errors: &expansionErrors),
                value: element.value, activeAt: now)
        }

        var transitions: [AlertTransition] = []
        var newlyActive: Set<Fingerprint> = []
        for (fingerprint, alert) in current {
            if var existing = active[fingerprint], existing.state != .inactive {
                existing.value = alert.value
                existing.annotations = alert.annotations
                active[fingerprint] = existing
            } else {
                active[fingerprint] = alert
                newlyActive.insert(fingerprint)
            }
        }

        var samples: [RuleSample] = []
        var activeCount = 0
        for fingerprint in active.keys {
            guard var alert = active[fingerprint] else { continue }
            if current[fingerprint] == nil, let until = restoredHold[fingerprint], now < until,
                alert.state != .inactive
            {
                activeCount += 1
                samples.append(rule.alertsSample(alert, at: now))
                samples.append(rule.forStateSample(alert, at: now))
                continue
            }
            restoredHold[fingerprint] = nil
            if current[fingerprint] == nil {
                var keepFiring = false
                if alert.state == .firing && rule.keepFiringFor > 0 {
                    let since = alert.keepFiringSince ?? now
                    alert.keepFiringSince = since
                    keepFiring = now - since < rule.keepFiringFor
                }
                if alert.state == .pending || (alert.resolvedAt.map { now - $0 > Self.resolvedRetention } ?? false) {
                    active[fingerprint] = nil
                    if alert.state == .pending {
                        alert.state = .inactive
                        alert.resolvedAt = now
                        transitions.append(AlertTransition(kind: .cancelled, alert: alert))
                    }
                    continue
                }
                if alert.state != .inactive && !keepFiring {
                    alert.state = .inactive
                    alert.resolvedAt = now
                    transitions.append(AlertTransition(kind: .resolved, alert: alert))
                }
                active[fingerprint] = alert
                if !keepFiring { continue }
            } else {
                alert.keepFiringSince = nil
            }
            activeCount += 1
            if alert.state == .pending && now - alert.activeAt >= rule.holdDuration {
                alert.state = .firing
                alert.firedAt = now
                transitions.append(AlertTransition(kind: .firing, alert: alert))
            } else if newlyActive.contains(fingerprint) {
                transitions.append(AlertTransition(kind: .pending, alert: alert))
            }
            active[fingerprint] = alert
            samples.append(rule.alertsSample(alert, at: now))
            samples.append(rule.forStateSample(alert, at: now))
        }

        if limit > 0 && activeCount > limit {
            active = [:]
            throw RuleError.limitExceeded(rule: rule.name, limit: limit, count: activeCount)
        }
        transitions.sort { $0.alert.labels < $1.alert.labels }
        samples.sort { $0.labels < $1.labels }
        return Evaluation(transitions: transitions, samples: samples, expansionErrors: expansionErrors)
    }

    // MARK: - Sending

    /// The alerts to hand to the notifier at `now`, marking them sent: firing alerts every
    /// `resendDelay`, resolved ones once at once and then every `resendDelay` while retained.
    /// `validUntil` is `now + 4 × max(interval, resendDelay)`, allowing two missed evaluations or sends.
    package mutating func alertsToSend(at now: Int64, resendDelay: Int64, interval: Int64) -> [Alert] {
        var sending: [Alert] = []
        for fingerprint in active.keys {
            guard var alert = active[fingerprint], alert.needsSending(at: now, resendDelay: resendDelay) else {
                continue
            }
            alert.lastSentAt = now
            alert.validUntil = now + 4 * max(interval, resendDelay)
            active[fingerprint] = alert
            sending.append(alert)
        }
        return sending.sorted { $0.labels < $1.labels }
    }
}
