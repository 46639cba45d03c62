import KlaxonMetrics
import KlaxonRouting

// MARK: - Applying writes

extension SQLConnection {
    /// Applies `writes` in order in one transaction, every row tagged with `instance`.
    ///
    /// Consecutive audit records go in multi-row inserts (one round trip per 64 on PostgreSQL).
    func apply(_ writes: [StoreWrite], instance: String) throws(StoreError) {
        guard !writes.isEmpty else { return }
        try transaction { () throws(StoreError) in
            var pendingAudit: [AuditRecord] = []
            for write in writes {
                if case .audit(let record) = write {
                    pendingAudit.append(record)
                    continue
                }
                try insertAudit(pendingAudit, instance: instance)
                pendingAudit.removeAll(keepingCapacity: true)
                try applyOne(write, instance: instance)
            }
            try insertAudit(pendingAudit, instance: instance)
        }
    }

    private func applyOne(_ write: StoreWrite, instance: String) throws(StoreError) {
        switch write {
        case .audit(let record):
            try insertAudit([record], instance: instance)
        case .activeAlerts(let group, let alerts):
            try replaceActiveAlerts(group: group, alerts: alerts, instance: instance)
        case .silence(let silence):
            try execute(
                """
                INSERT INTO silences (instance, id, matchers, created_by, comment, starts_at, ends_at, until_resolved,
                    updated_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (instance, id) DO UPDATE SET matchers = excluded.matchers,
                    created_by = excluded.created_by, comment = excluded.comment, starts_at = excluded.starts_at,
                    ends_at = excluded.ends_at, until_resolved = excluded.until_resolved,
                    updated_at = excluded.updated_at
                """,
                [
                    .text(instance), .text(silence.id), .text(StoreCoding.encode(silence.matchers)),
                    .text(silence.createdBy), .text(silence.comment), .integer(silence.startsAt),
                    .integer(silence.endsAt), .text(silence.untilResolved.map(StoreCoding.text)),
                    .integer(silence.updatedAt),
                ])
        case .ack(let ack):
            try execute(
                """
                INSERT INTO acks (instance, fingerprint, acked_by, comment, acked_at, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6)
                ON CONFLICT (instance, fingerprint) DO UPDATE SET acked_by = excluded.acked_by,
                    comment = excluded.comment, acked_at = excluded.acked_at, expires_at = excluded.expires_at
                """,
                [
                    .text(instance), .text(StoreCoding.text(ack.fingerprint)), .text(ack.by), .text(ack.comment),
                    .integer(ack.at), .integer(ack.expiresAt),
                ])
        case .removeAck(let fingerprint):
            try execute(
                "DELETE FROM acks WHERE instance = $1 AND fingerprint = $2",
                [.text(instance), .text(StoreCoding.text(fingerprint))])
        case .enqueue(let entry):
            try enqueue(entry, instance: instance)
        case .updateOutbox(let entry):
            try execute(
                """
                UPDATE outbox SET state = $3, attempts = $4, next_attempt_at = $5, last_error = $6, updated_at = $7
                WHERE instance = $1 AND key = $2
                """,
                [
                    .text(instance), .text(entry.key), .text(entry.state.rawValue), .integer(entry.attempts),
                    .integer(entry.nextAttemptAt), .text(entry.lastError), .integer(entry.updatedAt),
                ])
        case .routingState(let key, let value):
            try execute(
                """
                INSERT INTO routing_state (instance, key, value) VALUES ($1, $2, $3)
                ON CONFLICT (instance, key) DO UPDATE SET value = excluded.value
                """,
                [.text(instance), .text(key), .text(value)])
        }
    }

    // MARK: - Tables

    /// Most audit rows per INSERT: 64 × 15 parameters stays under SQLite's oldest limit of 999.
    private static var auditRowsPerInsert: Int { AuditColumns.inserts.count - 1 }

    private func insertAudit(_ records: [AuditRecord], instance: String) throws(StoreError) {
        var start = 0
        while start < records.count {
            let chunk = records[start..<min(start + Self.auditRowsPerInsert, records.count)]
            start += chunk.count
            var parameters: [SQLValue] = []
            parameters.reserveCapacity(chunk.count * AuditColumns.written.count)
            for record in chunk {
                parameters.append(contentsOf: [
                    .text(instance), .integer(record.time), .text(record.kind.rawValue),
                    .text(record.fingerprint.map(StoreCoding.text)), .text(record.alertName),
                    .text(record.severity?.name), .text(record.source), .text(record.ruleID), .text(record.receiver),
                    .text(record.stage?.rawValue), .integer(record.attempt), .integer(record.latencyMilliseconds),
                    .text(record.errorClass?.rawValue), .text(record.detail), .text(StoreCoding.encode(record.labels)),
                ])
            }
            try execute(AuditColumns.inserts[chunk.count], parameters)
        }
    }

    private func replaceActiveAlerts(group: String, alerts: [PersistedAlert], instance: String) throws(StoreError) {
        try execute(
            "DELETE FROM active_alerts WHERE instance = $1 AND group_name = $2", [.text(instance), .text(group)])
        for (position, alert) in alerts.enumerated() {
            try execute(
                """
                INSERT INTO active_alerts (instance, group_name, seq, rule, fingerprint, labels, annotations, state,
                    value, active_at, fired_at, keep_firing_since, last_sent_at, valid_until)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                """,
                [
                    .text(instance), .text(group), .integer(position), .text(alert.rule),
                    .text(StoreCoding.text(alert.fingerprint)), .text(StoreCoding.encode(alert.labels)),
                    .text(StoreCoding.encode(alert.annotations)), .text(alert.state),
                    .text(StoreCoding.text(alert.value)), .integer(alert.activeAt), .integer(alert.firedAt),
                    .integer(alert.keepFiringSince), .integer(alert.lastSentAt), .integer(alert.validUntil),
                ])
        }
    }

    private func enqueue(_ entry: OutboxEntry, instance: String) throws(StoreError) {
        let payload = try NotificationJSON.encode(entry.notification)
        try execute(
            """
            INSERT INTO outbox (instance, key, notification_id, receiver, state, attempts, next_attempt_at, last_error,
                created_at, updated_at, payload)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (instance, key) DO NOTHING
            """,
            [
                .text(instance), .text(entry.key), .text(entry.notification.id), .text(entry.receiver),
                .text(entry.state.rawValue), .integer(entry.attempts), .integer(entry.nextAttemptAt),
                .text(entry.lastError), .integer(entry.notification.createdAt), .integer(entry.updatedAt),
                .text(payload),
            ])
    }
}

/// The audit table's columns, in the order inserts bind and reads select them.
enum AuditColumns {
    /// Every column a write fills (all but `id`).
    static let written = [
        "instance", "time", "kind", "fingerprint", "alert_name", "severity", "source", "rule_id", "receiver", "stage",
        "attempt", "latency_ms", "error_class", "detail", "labels",
    ]

    /// `id` and then `written`, for SELECT.
    static let selected = "id, " + written.joined(separator: ", ")

    /// `inserts[n]` inserts n rows, for n up to the most rows per insert.
    static let inserts: [String] = (0...64).map(insert(rows:))

    /// An INSERT of `rows` rows: `VALUES ($1, …, $15), ($16, …)`.
    static func insert(rows: Int) -> String {
        let width = written.count
        let tuples = (0..<rows).map { row in
            "(" + (1...width).map { "$\(row * width + $0)" }.joined(separator: ", ") + ")"
        }
        return "INSERT INTO audit (" + written.joined(separator: ", ") + ") VALUES " + tuples.joined(separator: ", ")
    }
}
