import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting

/// The time of day a receiver's daily digest goes out (`digest_at`, UTC).
package struct DigestSchedule: Sendable, Equatable {
    /// Minutes after midnight UTC, 0…1439.
    package var minuteOfDay: Int

    package init(minuteOfDay: Int) {
        self.minuteOfDay = min(max(minuteOfDay, 0), 1439)
    }

    /// The first digest time at or after `time` (Unix milliseconds).
    package func next(atOrAfter time: Int64) -> Int64 {
        let day: Int64 = 86_400_000
        let clamped = MessageFormat.printable(time)
        let midnight = clamped - ((clamped % day) + day) % day
        let today = midnight + Int64(minuteOfDay) * 60_000
        return today >= clamped ? today : today + day
    }
}

/// Which notifications wait for a daily digest, and how those due together become one message.
///
/// Pure, and stateless beyond the schedules: a P3 notification for a receiver with a digest is due
/// at the first digest time after its creation, a function of what the outbox already holds, so
/// an entry loaded after a restart waits for the same digest and nothing is lost. Retries of a
/// digest keep its members together (they fail and are rescheduled as one).
package struct EmailDigest: Sendable {
    /// `digest_at` by receiver name.
    package var schedules: [String: DigestSchedule]

    package init(schedules: [String: DigestSchedule] = [:]) {
        self.schedules = schedules
    }

    /// Whether `notification` waits for its receiver's digest: a P3 alert notification for a
    /// receiver with `digest_at` (summaries and escalations are never held back).
    package func holds(_ notification: Notification) -> Bool {
        guard schedules[notification.receiver] != nil, notification.severity == .p3 else { return false }
        if case .alerts = notification.kind { return true }
        return false
    }

    /// `entry` as it should be scheduled: a first attempt of a held notification waits for the
    /// digest after its creation; anything else is unchanged.
    package func scheduled(_ entry: OutboxEntry) -> OutboxEntry {
        guard entry.attempts == 0, holds(entry.notification),
            let schedule = schedules[entry.receiver]
        else { return entry }
        var held = entry
        held.nextAttemptAt = max(entry.nextAttemptAt, schedule.next(atOrAfter: entry.notification.createdAt))
        return held
    }

    /// The sends for entries due now: held entries of one receiver together (in creation order),
    /// every other entry alone, in the order given.
    package func batches(_ due: [OutboxEntry]) -> [[OutboxEntry]] {
        var batches: [[OutboxEntry]] = []
        var digestIndex: [String: Int] = [:]
        for entry in due {
            guard holds(entry.notification) else {
                batches.append([entry])
                continue
            }
            if let index = digestIndex[entry.receiver] {
                batches[index].append(entry)
            } else {
                digestIndex[entry.receiver] = batches.count
                batches.append([entry])
            }
        }
        return batches.map { batch in
            batch.count > 1 ? batch.sorted { $0.notification.createdAt < $1.notification.createdAt } : batch
        }
    }

    /// The one notification a batch sends: a lone entry's own; for several, their alerts in order,
    /// under an id derived from the members' ids (a retry sends the same `Message-Id`) and one
    /// group per receiver, so a receiver's digests form one mail thread.
    package static func notification(for batch: [OutboxEntry], at now: Int64) -> Notification? {
        guard let first = batch.first else { return nil }
        guard batch.count > 1 else { return first.notification }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for entry in batch {
            for byte in entry.notification.id.utf8 + [0] {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
        }
        let hex = String(hash, radix: 16)
        return Notification(
            id: "digest-" + String(repeating: "0", count: 16 - hex.count) + hex, receiver: first.receiver,
            groupKey: "digest:\(first.receiver)", groupLabels: .empty, severity: .p3,
            alerts: batch.flatMap(\.notification.alerts), createdAt: now,
            externalURL: first.notification.externalURL)
    }
}
