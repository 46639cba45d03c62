import KlaxonConfig
import KlaxonMetrics
import KlaxonRuntime

/// Why an ack or a silence request was refused; the API answers it as 404 or 400.
package enum RoutingRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case alertNotFiring(Fingerprint)
    case silenceNotFound(String)
    case silenceAlreadyExpired(String)

    package var description: String {
        switch self {
        case .alertNotFiring(let fingerprint): "no firing alert has fingerprint \(fingerprint)"
        case .silenceNotFound(let id): "no silence has id \(id)"
        case .silenceAlreadyExpired(let id): "silence \(id) has already expired"
        }
    }
}

extension Router {
    // MARK: - Acks

    /// Stage 4: acknowledges a firing alert; it stops paging and escalating until it resolves
    /// or the ack expires.
    package mutating func acknowledge(_ ack: Ack, now: Int64) throws(RoutingRequestError) -> RoutingOutput {
        guard let alert = firing[ack.fingerprint] else { throw .alertNotFiring(ack.fingerprint) }
        var output = RoutingOutput()
        acks[ack.fingerprint] = ack
        escalations[ack.fingerprint] = nil
        output.writes.append(.ack(ack))
        let until = ack.expiresAt.map { " until \(CivilTime(unixMilliseconds: $0).rfc3339)" } ?? ""
        let comment = ack.comment.isEmpty ? "" : ": \(ack.comment)"
        output.writes.append(.audit(record(.acked, alert, now, "by \(ack.by)\(until)\(comment)")))
        return output
    }

    /// Takes an ack back: the alert pages again at its group's next flush.
    package mutating func unacknowledge(
        _ fingerprint: Fingerprint, by: String, now: Int64
    ) throws(RoutingRequestError) -> RoutingOutput {
        guard let alert = firing[fingerprint], acks[fingerprint] != nil else { throw .alertNotFiring(fingerprint) }
        var output = RoutingOutput()
        output.append(release(fingerprint, alert: alert, now: now, detail: "by \(by)"))
        output.append(flushDue(now: now))
        return output
    }

    /// Removes an ack and lets the alert page again, as if newly firing.
    private mutating func release(_ fingerprint: Fingerprint, alert: AlertEvent, now: Int64, detail: String)
        -> RoutingOutput
    {
        var output = RoutingOutput()
        acks[fingerprint] = nil
        output.writes.append(.removeAck(fingerprint))
        output.writes.append(.audit(record(.unacked, alert, now, detail)))
        if let key = groupOfAlert[fingerprint], var group = groups.removeValue(forKey: key) {
            group.notified.remove(fingerprint)
            group.scheduleChange(at: now, timings: timings(group.severity))
            groups[key] = group
        }
        return output
    }

    // MARK: - Silences

    /// Stage 3: adds or replaces a silence; matching alerts are muted from their next flush.
    package mutating func addSilence(_ silence: Silence, now: Int64) -> RoutingOutput {
        var output = RoutingOutput()
        silences[silence.id] = silence
        expiredSilences.remove(silence.id)
        output.writes.append(.silence(silence))
        let matchers = silence.matchers.map(\.text).joined(separator: ", ")
        let comment = silence.comment.isEmpty ? "" : " (\(silence.comment))"
        var created = AuditRecord(
            time: now, kind: .silenceCreated, instance: settings.instance,
            detail: "silence \(silence.id) by \(silence.createdBy): \(matchers)\(comment)")
        created.fingerprint = silence.untilResolved
        output.writes.append(.audit(created))
        return output
    }

    /// Ends a silence now; what it muted is looked at again.
    package mutating func expireSilence(id: String, now: Int64) throws(RoutingRequestError) -> RoutingOutput {
        guard let silence = silences[id] else { throw .silenceNotFound(id) }
        guard silence.state(at: now) != .expired else { throw .silenceAlreadyExpired(id) }
        var output = expireSilence(id: id, now: now, reason: "expired by request")
        output.append(flushDue(now: now))
        return output
    }

    mutating func expireSilence(id: String, now: Int64, reason: String) -> RoutingOutput {
        var output = RoutingOutput()
        guard var silence = silences[id] else { return output }
        silence.endsAt = min(silence.endsAt, now)
        silence.updatedAt = now
        silences[id] = silence
        expiredSilences.insert(id)
        output.writes.append(.silence(silence))
        output.writes.append(
            .audit(
                AuditRecord(
                    time: now, kind: .silenceExpired, instance: settings.instance, detail: "silence \(id): \(reason)")))
        rescheduleGroupsWithFiringAlerts(now: now)
        return output
    }

    /// Acks past their expiry lapse (the alert pages again); silences past their end are
    /// recorded as expired.
    mutating func expireAcksAndSilences(now: Int64) -> RoutingOutput {
        var output = RoutingOutput()
        for (fingerprint, ack) in acks where !ack.isActive(at: now) {
            if let alert = firing[fingerprint] {
                output.append(release(fingerprint, alert: alert, now: now, detail: "ack by \(ack.by) expired"))
            } else {
                acks[fingerprint] = nil
                output.writes.append(.removeAck(fingerprint))
            }
        }
        for (id, silence) in silences where silence.state(at: now) == .expired && !expiredSilences.contains(id) {
            expiredSilences.insert(id)
            output.writes.append(
                .audit(
                    AuditRecord(
                        time: now, kind: .silenceExpired, instance: settings.instance, detail: "silence \(id): ended")))
            rescheduleGroupsWithFiringAlerts(now: now)
        }
        return output
    }
}
