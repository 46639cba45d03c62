import Foundation
import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting

/// A `Notification` as JSON text: the outbox payload, read back after a restart.
///
/// Labels are a JSON object (a label set is sorted and unique, so nothing is lost); annotations a
/// list of name/value objects, so their order and empty values survive. Alert values are text
/// (`1.5`, `nan`, `inf`): JSON numbers cannot hold NaN or infinities.
package enum NotificationJSON {
    /// `notification` as JSON text.
    package static func encode(_ notification: KlaxonRouting.Notification) throws(StoreError) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return String(decoding: try encoder.encode(NotificationDTO(notification)), as: UTF8.self)
        } catch {
            throw StoreError(.failed, "notification \(notification.id) cannot be written as JSON: \(error)")
        }
    }

    /// The notification in `text`; throws naming the first field that is wrong.
    package static func decode(_ text: String) throws(NotificationJSONError) -> KlaxonRouting.Notification {
        let dto: NotificationDTO
        do {
            dto = try JSONDecoder().decode(NotificationDTO.self, from: Data(text.utf8))
        } catch {
            throw NotificationJSONError(message: Self.describe(error))
        }
        return try dto.notification()
    }

    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "invalid JSON" }
        switch error {
        case .dataCorrupted(let context): return "invalid JSON \(path(context))".trimmingCharacters(in: .whitespaces)
        case .keyNotFound(let key, let context): return "missing field \(path(context, key))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "wrong type at \(path(context))"
        @unknown default: return "invalid JSON"
        }
    }

    private static func path(_ context: DecodingError.Context, _ key: (any CodingKey)? = nil) -> String {
        let keys = context.codingPath + (key.map { [$0] } ?? [])
        return keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }
}

/// A stored notification could not be read back.
package struct NotificationJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong, naming the field.
    package var message: String

    package var description: String { message }
}

// MARK: - Wire shapes

private struct NotificationDTO: Codable {
    var id: String
    var receiver: String
    var kind: KindDTO
    var groupKey: String
    var groupLabels: [String: String]
    var severity: String
    var alerts: [AlertDTO]
    var createdAt: Int64
    var externalURL: String

    init(_ notification: KlaxonRouting.Notification) {
        id = notification.id
        receiver = notification.receiver
        kind = KindDTO(notification.kind)
        groupKey = notification.groupKey
        groupLabels = Dictionary(notification.groupLabels.map { ($0.name, $0.value) }) { _, last in last }
        severity = notification.severity.name
        alerts = notification.alerts.map(AlertDTO.init)
        createdAt = notification.createdAt
        externalURL = notification.externalURL
    }

    func notification() throws(NotificationJSONError) -> KlaxonRouting.Notification {
        guard let severity = Severity(name: severity) else {
            throw NotificationJSONError(message: "severity \(RowReader.quote(severity)) is not P0 … P3")
        }
        var alerts: [AlertEvent] = []
        for (index, alert) in self.alerts.enumerated() {
            alerts.append(try alert.event(index: index))
        }
        return KlaxonRouting.Notification(
            id: id, receiver: receiver, kind: try kind.kind(), groupKey: groupKey, groupLabels: Labels(groupLabels),
            severity: severity, alerts: alerts, createdAt: createdAt, externalURL: externalURL)
    }
}

private struct KindDTO: Codable {
    var type: String
    var step: Int?
    var summary: SummaryDTO?

    init(_ kind: KlaxonRouting.Notification.Kind) {
        switch kind {
        case .alerts:
            type = "alerts"
        case .escalation(let step):
            type = "escalation"
            self.step = step
        case .rateLimitSummary(let summary):
            type = "rate_limit_summary"
            self.summary = SummaryDTO(summary)
        }
    }

    func kind() throws(NotificationJSONError) -> KlaxonRouting.Notification.Kind {
        switch type {
        case "alerts": return .alerts
        case "escalation":
            guard let step else { throw NotificationJSONError(message: "missing field kind.step") }
            return .escalation(step: step)
        case "rate_limit_summary":
            guard let summary else { throw NotificationJSONError(message: "missing field kind.summary") }
            return .rateLimitSummary(try summary.summary())
        default:
            throw NotificationJSONError(message: "kind.type \(RowReader.quote(type)) is not a notification kind")
        }
    }
}

private struct SummaryDTO: Codable {
    var severity: String
    var source: String
    var suppressed: Int
    var alertNames: [String]
    var windowStart: Int64
    var windowEnd: Int64

    init(_ summary: RateLimitSummary) {
        severity = summary.severity.name
        source = summary.source
        suppressed = summary.suppressed
        alertNames = summary.alertNames
        windowStart = summary.windowStart
        windowEnd = summary.windowEnd
    }

    func summary() throws(NotificationJSONError) -> RateLimitSummary {
        guard let severity = Severity(name: severity) else {
            throw NotificationJSONError(message: "kind.summary.severity \(RowReader.quote(severity)) is not P0 … P3")
        }
        return RateLimitSummary(
            severity: severity, source: source, suppressed: suppressed, alertNames: alertNames,
            windowStart: windowStart, windowEnd: windowEnd)
    }
}

private struct PairDTO: Codable {
    var name: String
    var value: String
}

private struct AlertDTO: Codable {
    var fingerprint: String
    var labels: [String: String]
    var annotations: [PairDTO]
    var status: String
    var activeAt: Int64
    var startsAt: Int64
    var resolvedAt: Int64?
    var value: String
    var generatorURL: String
    var observedAt: Int64?

    init(_ alert: AlertEvent) {
        fingerprint = StoreCoding.text(alert.fingerprint)
        labels = Dictionary(alert.labels.map { ($0.name, $0.value) }) { _, last in last }
        annotations = alert.annotations.map { PairDTO(name: $0.name, value: $0.value) }
        status = alert.status.rawValue
        activeAt = alert.activeAt
        startsAt = alert.startsAt
        resolvedAt = alert.resolvedAt
        value = StoreCoding.text(alert.value)
        generatorURL = alert.generatorURL
        observedAt = alert.observedAt
    }

    func event(index: Int) throws(NotificationJSONError) -> AlertEvent {
        guard let status = AlertEvent.Status(rawValue: status) else {
            throw NotificationJSONError(
                message: "alerts.\(index).status \(RowReader.quote(status)) is not firing or resolved")
        }
        guard let value = Double(value) else {
            throw NotificationJSONError(message: "alerts.\(index).value \(RowReader.quote(value)) is not a number")
        }
        guard let fingerprint = StoreCoding.fingerprint(fingerprint) else {
            throw NotificationJSONError(message: "alerts.\(index).fingerprint is not 16 hex digits")
        }
        var event = AlertEvent(
            labels: Labels(labels), annotations: annotations.map { Label($0.name, $0.value) }, status: status,
            activeAt: activeAt, startsAt: startsAt, resolvedAt: resolvedAt, value: value, generatorURL: generatorURL,
            observedAt: observedAt)
        event.fingerprint = fingerprint
        return event
    }
}
