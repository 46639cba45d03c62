import KlaxonMetrics

/// The idempotency key of a notification: the same for the same content routed by two Klaxons
/// of an HA pair at about the same time, different for anything else.
///
/// FNV-1a over the receiver, group, kind and the alerts' fingerprints and statuses, plus the
/// creation time in 10-second buckets, so the same group re-sent later gets a new key.
enum NotificationID {
    static let bucketMilliseconds: Int64 = 10_000

    static func make(
        receiver: String, groupKey: String, kind: Notification.Kind, alerts: [AlertEvent], now: Int64
    ) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ text: String) {
            for byte in text.utf8 {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
            hash ^= 0xFF
            hash &*= 0x0000_0100_0000_01b3
        }
        add(receiver)
        add(groupKey)
        switch kind {
        case .alerts: add("alerts")
        case .escalation(let step): add("escalation \(step)")
        case .rateLimitSummary(let summary): add("summary \(summary.windowStart) \(summary.suppressed)")
        }
        for alert in alerts.sorted(by: { $0.fingerprint < $1.fingerprint }) {
            add(alert.fingerprint.description + alert.status.rawValue)
        }
        add(String(now / bucketMilliseconds))
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
