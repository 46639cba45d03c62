import KlaxonMetrics
import KlaxonRouting

// MARK: - Reading

extension SQLConnection {
    /// The audit trail newest first, filtered by `query`; one more row than the page is read to
    /// know whether an older page exists.
    func history(_ query: HistoryQuery) throws(StoreError) -> HistoryPage {
        var conditions: [String] = []
        var parameters: [SQLValue] = []
        func add(_ column: String, _ comparison: String, _ value: SQLValue?) {
            guard let value else { return }
            parameters.append(value)
            conditions.append("\(column) \(comparison) $\(parameters.count)")
        }
        add("instance", "=", query.instance.map { .text($0) })
        add("severity", "=", query.severity.map { .text($0.name) })
        add("alert_name", "=", query.alertName.map { .text($0) })
        add("rule_id", "=", query.ruleID.map { .text($0) })
        add("source", "=", query.source.map { .text($0) })
        add("fingerprint", "=", query.fingerprint.map { .text(StoreCoding.text($0)) })
        add("kind", "=", query.kind.map { .text($0.rawValue) })
        add("receiver", "=", query.receiver.map { .text($0) })
        add("time", ">=", query.since.map { .integer($0) })
        add("time", "<", query.until.map { .integer($0) })
        add("id", "<", query.before.map { .integer($0) })
        let limit = min(max(query.limit, 1), 1_000)
        parameters.append(.integer(Int64(limit + 1)))
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        let rows = try self.query(
            "SELECT \(AuditColumns.selected) FROM audit\(filter) ORDER BY id DESC LIMIT $\(parameters.count)",
            parameters)
        var records: [AuditRecord] = []
        records.reserveCapacity(min(rows.count, limit))
        for row in rows.prefix(limit) {
            records.append(try Self.auditRecord(row))
        }
        let nextCursor = rows.count > limit ? records.last?.id : nil
        return HistoryPage(records: records, nextCursor: nextCursor)
    }

    /// Deletes this instance's audit records older than `time`, and with them its delivery claims
    /// and finished outbox entries of the same age; returns how many audit records went.
    func pruneAudit(olderThan time: Int64, instance: String) throws(StoreError) -> Int {
        try transaction { () throws(StoreError) -> Int in
            let removed = try execute(
                "DELETE FROM audit WHERE instance = $1 AND time < $2", [.text(instance), .integer(time)])
            try execute(
                "DELETE FROM delivery_claims WHERE instance = $1 AND claimed_at < $2",
                [.text(instance), .integer(time)])
            try execute(
                "DELETE FROM outbox WHERE instance = $1 AND state <> $2 AND updated_at < $3",
                [.text(instance), .text(OutboxEntry.State.pending.rawValue), .integer(time)])
            return removed
        }
    }

    /// Every persisted alert of `instance`, by group, in the order they were written.
    func activeAlerts(instance: String) throws(StoreError) -> [PersistedAlert] {
        let rows = try query(
            """
            SELECT group_name, seq, rule, labels, annotations, state, value, active_at, fired_at, keep_firing_since,
                last_sent_at, valid_until
            FROM active_alerts WHERE instance = $1 ORDER BY group_name, seq
            """, [.text(instance)])
        var alerts: [PersistedAlert] = []
        alerts.reserveCapacity(rows.count)
        for row in rows {
            var reader = RowReader(row, table: "active_alerts")
            let group = try reader.text(0, "group_name")
            reader.rowName = "\(group)#\(try reader.int64(1, "seq"))"
            alerts.append(
                PersistedAlert(
                    group: group, rule: try reader.text(2, "rule"), labels: try reader.labels(3, "labels"),
                    annotations: try reader.annotations(4, "annotations"), state: try reader.text(5, "state"),
                    value: try reader.double(6, "value"), activeAt: try reader.int64(7, "active_at"),
                    firedAt: try reader.optionalInt64(8, "fired_at"),
                    keepFiringSince: try reader.optionalInt64(9, "keep_firing_since"),
                    lastSentAt: try reader.optionalInt64(10, "last_sent_at"),
                    validUntil: try reader.optionalInt64(11, "valid_until")))
        }
        return alerts
    }

    /// Every silence of `instance`, newest start first.
    func silences(instance: String) throws(StoreError) -> [Silence] {
        let rows = try query(
            """
            SELECT id, matchers, created_by, comment, starts_at, ends_at, until_resolved, updated_at
            FROM silences WHERE instance = $1 ORDER BY starts_at DESC, id
            """, [.text(instance)])
        var silences: [Silence] = []
        silences.reserveCapacity(rows.count)
        for row in rows {
            var reader = RowReader(row, table: "silences")
            let id = try reader.text(0, "id")
            reader.rowName = id
            let matchers: [LabelMatcher]
            switch StoreCoding.decodeMatchers(try reader.text(1, "matchers")) {
            case .success(let decoded): matchers = decoded
            case .failure(let error): throw reader.corrupt("matchers", error.message)
            }
            silences.append(
                Silence(
                    id: id, matchers: matchers, createdBy: try reader.text(2, "created_by"),
                    comment: try reader.text(3, "comment"), startsAt: try reader.int64(4, "starts_at"),
                    endsAt: try reader.int64(5, "ends_at"),
                    untilResolved: try reader.optionalFingerprint(6, "until_resolved"),
                    updatedAt: try reader.int64(7, "updated_at")))
        }
        return silences
    }

    /// Every ack of `instance`, oldest first.
    func acks(instance: String) throws(StoreError) -> [Ack] {
        let rows = try query(
            """
            SELECT fingerprint, acked_by, comment, acked_at, expires_at
            FROM acks WHERE instance = $1 ORDER BY acked_at, fingerprint
            """, [.text(instance)])
        var acks: [Ack] = []
        acks.reserveCapacity(rows.count)
        for row in rows {
            var reader = RowReader(row, table: "acks")
            reader.rowName = (try? reader.text(0, "fingerprint")) ?? "?"
            acks.append(
                Ack(
                    fingerprint: try reader.fingerprint(0, "fingerprint"), by: try reader.text(1, "acked_by"),
                    comment: try reader.text(2, "comment"), at: try reader.int64(3, "acked_at"),
                    expiresAt: try reader.optionalInt64(4, "expires_at")))
        }
        return acks
    }

    /// Pending entries of `instance` due at or before `now`, oldest first, at most `limit`.
    func dueOutbox(now: Int64, limit: Int, instance: String) throws(StoreError) -> [OutboxEntry] {
        guard limit > 0 else { return [] }
        let rows = try query(
            """
            SELECT key, state, attempts, next_attempt_at, last_error, updated_at, payload
            FROM outbox WHERE instance = $1 AND state = $2 AND next_attempt_at <= $3
            ORDER BY created_at, key LIMIT $4
            """,
            [.text(instance), .text(OutboxEntry.State.pending.rawValue), .integer(now), .integer(Int64(limit))])
        var entries: [OutboxEntry] = []
        entries.reserveCapacity(rows.count)
        for row in rows {
            var reader = RowReader(row, table: "outbox")
            reader.rowName = try reader.text(0, "key")
            let payload = try reader.text(6, "payload")
            let notification: Notification
            do throws(NotificationJSONError) {
                notification = try NotificationJSON.decode(payload)
            } catch {
                throw reader.corrupt("payload", "is not a notification: \(error.message)")
            }
            entries.append(
                OutboxEntry(
                    notification: notification, state: try reader.enumeration(1, "state", as: OutboxEntry.State.self),
                    attempts: try reader.int(2, "attempts"), nextAttemptAt: try reader.int64(3, "next_attempt_at"),
                    lastError: try reader.optionalText(4, "last_error"), updatedAt: try reader.int64(5, "updated_at")))
        }
        return entries
    }

    /// How many entries of `instance` are pending, and when the oldest was created.
    func outboxDepth(instance: String) throws(StoreError) -> (count: Int, oldestCreatedAt: Int64?) {
        let rows = try query(
            "SELECT COUNT(*), MIN(created_at) FROM outbox WHERE instance = $1 AND state = $2",
            [.text(instance), .text(OutboxEntry.State.pending.rawValue)])
        guard let row = rows.first else { return (0, nil) }
        let reader = RowReader(row, table: "outbox")
        return (try reader.int(0, "count"), try reader.optionalInt64(1, "created_at"))
    }

    /// Inserts the claim unless one exists; true when `instance` holds it afterwards (so a retry
    /// by the same instance after a crash still gets to send).
    func claimDelivery(key: String, now: Int64, instance: String) throws(StoreError) -> Bool {
        try execute(
            "INSERT INTO delivery_claims (key, instance, claimed_at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
            [.text(key), .text(instance), .integer(now)])
        let rows = try query("SELECT instance FROM delivery_claims WHERE key = $1", [.text(key)])
        guard let row = rows.first else {
            throw StoreError(.failed, "delivery claim \(RowReader.quote(key)) vanished right after it was written")
        }
        return try RowReader(row, table: "delivery_claims").text(0, "instance") == instance
    }

    /// The routing-state value under `key` for `instance`, or nil.
    func routingState(key: String, instance: String) throws(StoreError) -> String? {
        let rows = try query(
            "SELECT value FROM routing_state WHERE instance = $1 AND key = $2", [.text(instance), .text(key)])
        guard let row = rows.first else { return nil }
        var reader = RowReader(row, table: "routing_state")
        reader.rowName = key
        return try reader.text(0, "value")
    }

    // MARK: - Rows

    static func auditRecord(_ row: SQLRow) throws(StoreError) -> AuditRecord {
        var reader = RowReader(row, table: "audit")
        let id = try reader.int64(0, "id")
        reader.rowName = String(id)
        return AuditRecord(
            id: id, time: try reader.int64(2, "time"), kind: try reader.enumeration(3, "kind", as: AuditKind.self),
            instance: try reader.text(1, "instance"), fingerprint: try reader.optionalFingerprint(4, "fingerprint"),
            alertName: try reader.text(5, "alert_name"), severity: try reader.optionalSeverity(6, "severity"),
            source: try reader.text(7, "source"), ruleID: try reader.text(8, "rule_id"),
            receiver: try reader.text(9, "receiver"),
            stage: try reader.optionalEnumeration(10, "stage", as: SuppressionStage.self),
            attempt: try reader.optionalInt(11, "attempt"),
            latencyMilliseconds: try reader.optionalInt64(12, "latency_ms"),
            errorClass: try reader.optionalEnumeration(13, "error_class", as: DeliveryErrorClass.self),
            detail: try reader.text(14, "detail"), labels: try reader.labels(15, "labels"))
    }
}
