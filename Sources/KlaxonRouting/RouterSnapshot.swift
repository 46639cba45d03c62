import Foundation
import KlaxonConfig
import KlaxonMetrics

/// The router's memory that must survive a restart, as JSON for `StoreWrite.routingState`: the
/// groups (what was announced, what waits for its group_wait, resolutions not yet sent) and
/// escalations. Rate-limit windows are not kept: a restart opens fresh windows.
///
/// Silences and acks are stored as rows of their own and handed back to `restore`.
package struct RouterSnapshot: Codable, Sendable, Equatable {
    /// The `routingState` key the router writes under.
    package static let storeKey = "router"

    struct Group: Codable, Equatable {
        var severity: Int
        var source: String
        var labels: [String: String]
        var alerts: [AlertEventRecord]
        var notified: [UInt64]
        var createdAt: Int64
        var lastNotifiedAt: Int64?
        var nextFlushAt: Int64?
    }

    struct Escalation: Codable, Equatable {
        var fingerprint: UInt64
        var nextAt: Int64
        var step: Int
    }

    var groups: [Group]
    /// Firing alerts not in any group (switched off by `disabled_alerts` or `min_severity`).
    var ungrouped: [AlertEventRecord]
    var escalations: [Escalation]
    var suppressed: [String: String]

    /// The JSON text stored.
    package func encoded() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads stored JSON back; throws a sentence naming what was wrong.
    package init(decoding text: String) throws(StoreError) {
        do {
            self = try JSONDecoder().decode(RouterSnapshot.self, from: Data(text.utf8))
        } catch {
            throw StoreError(.corrupt, "routing state \"\(Self.storeKey)\" is not valid: \(error)")
        }
    }

    init(groups: [Group], ungrouped: [AlertEventRecord], escalations: [Escalation], suppressed: [String: String]) {
        self.groups = groups
        self.ungrouped = ungrouped
        self.escalations = escalations
        self.suppressed = suppressed
    }
}

/// An `AlertEvent` as JSON: labels and annotations as objects, times in Unix milliseconds.
package struct AlertEventRecord: Codable, Sendable, Equatable {
    var labels: [String: String]
    var annotations: [String: String]
    var status: String
    var activeAt: Int64
    var startsAt: Int64
    var resolvedAt: Int64?
    /// The value's bit pattern, so NaN and infinities survive JSON.
    var valueBits: UInt64
    var generatorURL: String

    package init(_ event: AlertEvent) {
        labels = Dictionary(event.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        annotations = Dictionary(event.annotations.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 })
        status = event.status.rawValue
        activeAt = event.activeAt
        startsAt = event.startsAt
        resolvedAt = event.resolvedAt
        valueBits = event.value.bitPattern
        generatorURL = event.generatorURL
    }

    /// The event; throws when the status is unknown.
    package func event() throws(StoreError) -> AlertEvent {
        guard let status = AlertEvent.Status(rawValue: status) else {
            throw StoreError(.corrupt, "stored alert has unknown status \"\(status.prefix(20))\"")
        }
        return AlertEvent(
            labels: Labels(labels),
            annotations: annotations.map { Label($0.key, $0.value) }.sorted { $0.name < $1.name },
            status: status, activeAt: activeAt, startsAt: startsAt, resolvedAt: resolvedAt,
            value: Double(bitPattern: valueBits), generatorURL: generatorURL)
    }
}

extension Router {
    /// What `restore` needs to pick up where this router stopped.
    package var snapshot: RouterSnapshot {
        let groups = self.groups.values.sorted { $0.key < $1.key }.map { group in
            RouterSnapshot.Group(
                severity: group.severity.rawValue, source: group.source,
                labels: Dictionary(group.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { $1 }),
                alerts: group.alerts.values.sorted { $0.fingerprint < $1.fingerprint }.map(AlertEventRecord.init),
                notified: group.notified.map(\.rawValue).sorted(), createdAt: group.createdAt,
                lastNotifiedAt: group.lastNotifiedAt, nextFlushAt: group.nextFlushAt)
        }
        let ungrouped = firing.values.filter { groupOfAlert[$0.fingerprint] == nil }
            .sorted { $0.fingerprint < $1.fingerprint }.map(AlertEventRecord.init)
        let escalations = self.escalations.sorted { $0.key < $1.key }.map {
            RouterSnapshot.Escalation(fingerprint: $0.key.rawValue, nextAt: $0.value.nextAt, step: $0.value.step)
        }
        let suppressed = Dictionary(uniqueKeysWithValues: suppressedBy.map { ($0.key.description, $0.value.rawValue) })
        return RouterSnapshot(groups: groups, ungrouped: ungrouped, escalations: escalations, suppressed: suppressed)
    }

    /// Takes back what a previous run left: its snapshot, the stored silences and acks. Silences
    /// already over count as recorded expired.
    package mutating func restore(
        _ snapshot: RouterSnapshot?, silences: [Silence], acks: [Ack], now: Int64
    ) throws(StoreError) {
        for silence in silences {
            self.silences[silence.id] = silence
            if silence.state(at: now) == .expired { expiredSilences.insert(silence.id) }
        }
        for ack in acks { self.acks[ack.fingerprint] = ack }
        guard let snapshot else { return }
        for stored in snapshot.groups {
            guard let severity = Severity(rawValue: stored.severity) else {
                throw StoreError(.corrupt, "stored routing group has unknown severity \(stored.severity)")
            }
            let labels = Labels(stored.labels)
            var group = AggregationGroup(
                key: labels.description, labels: labels, severity: severity, source: stored.source,
                createdAt: stored.createdAt)
            for record in stored.alerts {
                let alert = try record.event()
                group.alerts[alert.fingerprint] = alert
                groupOfAlert[alert.fingerprint] = group.key
                if alert.status == .firing { firing[alert.fingerprint] = alert }
            }
            group.notified = Set(stored.notified.map(Fingerprint.init(rawValue:)))
            group.lastNotifiedAt = stored.lastNotifiedAt
            group.nextFlushAt = stored.nextFlushAt
            groups[group.key] = group
        }
        for record in snapshot.ungrouped {
            let alert = try record.event()
            firing[alert.fingerprint] = alert
        }
        for escalation in snapshot.escalations {
            escalations[Fingerprint(rawValue: escalation.fingerprint)] = EscalationState(
                nextAt: escalation.nextAt, step: escalation.step)
        }
        for (key, stage) in snapshot.suppressed {
            guard let raw = UInt64(key, radix: 16), let stage = SuppressionStage(rawValue: stage) else { continue }
            suppressedBy[Fingerprint(rawValue: raw)] = stage
        }
    }
}
