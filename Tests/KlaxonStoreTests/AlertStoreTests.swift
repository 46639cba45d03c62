import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting
import KlaxonTestSupport
import Testing

@testable import KlaxonStore

/// One suite, run against SQLite and a real PostgreSQL server.
@Suite struct AlertStoreTests {
    typealias F = StoreFixtures

    // MARK: - Audit trail

    @Test(arguments: StoreBackend.enabled)
    func historyIsNewestFirstAndPagesWithACursor(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let store = try database.open()
        let frozen = F.alert("Frozen", severity: "P0")
        let writes = (0..<7).map { StoreWrite.audit(F.audit(.fired, frozen, at: 1_000 + Int64($0))) }
        try store.apply(writes)

        var times: [Int64] = []
        var cursor: Int64?
        var pages = 0
        repeat {
            let page = try store.history(HistoryQuery(before: cursor, limit: 3))
            times += page.records.map(\.time)
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 10
        #expect(times == (1_000..<1_007).reversed().map { Int64($0) })
        #expect(pages == 3)

        let newest = try store.history(HistoryQuery(limit: 1)).records
        #expect(newest.count == 1)
        let record = try #require(newest.first)
        var expected = F.audit(.fired, frozen, at: 1_006)
        expected.id = record.id
        expected.instance = "klaxon-a"
        #expect(record == expected)
    }

    @Test(arguments: StoreBackend.enabled)
    func historyFiltersOnEveryField(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let store = try database.open()
        let frozen = F.alert("Frozen", severity: "P0", source: "ExchangeHealth")
        let latency = F.alert("Latency", severity: "P2", source: "RateLimiter", extra: ["venue": "kraken"])
        var failed = F.audit(.failed, frozen, at: 40, receiver: "slack")
        failed.attempt = 2
        failed.errorClass = .serverError
        failed.latencyMilliseconds = 1_234
        var suppressed = F.audit(.suppressed, latency, at: 50)
        suppressed.stage = .rateLimited
        try store.apply([
            .audit(F.audit(.fired, frozen, at: 10)), .audit(F.audit(.fired, latency, at: 20)),
            .audit(F.audit(.sent, frozen, at: 30, receiver: "telegram")), .audit(failed), .audit(suppressed),
        ])
        func times(_ query: HistoryQuery) throws -> [Int64] { try store.history(query).records.map(\.time) }
        #expect(try times(HistoryQuery(severity: .p0)) == [40, 30, 10])
        #expect(try times(HistoryQuery(alertName: "Latency")) == [50, 20])
        #expect(try times(HistoryQuery(ruleID: "D75.Frozen")) == [40, 30, 10])
        #expect(try times(HistoryQuery(source: "RateLimiter")) == [50, 20])
        #expect(try times(HistoryQuery(fingerprint: latency.fingerprint)) == [50, 20])
        #expect(try times(HistoryQuery(kind: .fired)) == [20, 10])
        #expect(try times(HistoryQuery(receiver: "telegram")) == [30])
        #expect(try times(HistoryQuery(since: 20, until: 40)) == [30, 20])
        #expect(try times(HistoryQuery(severity: .p0, kind: .sent)) == [30])
        #expect(try times(HistoryQuery(instance: "klaxon-a")) == [50, 40, 30, 20, 10])
        #expect(try times(HistoryQuery(instance: "klaxon-b")).isEmpty)
        let records = try store.history(HistoryQuery()).records
        #expect(records.first?.stage == .rateLimited)
        #expect(records.dropFirst().first.map { [$0.attempt, $0.latencyMilliseconds.map(Int.init)] } == [2, 1_234])
        #expect(records.dropFirst().first?.errorClass == .serverError)
        #expect(records.last?.labels == frozen.labels)
    }

    @Test(arguments: StoreBackend.enabled)
    func instancesSharingADatabaseKeepTheirRowsApart(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let a = try database.open(instance: "klaxon-a")
        let b = try database.open(instance: "klaxon-b")
        let frozen = F.alert("Frozen")
        try a.apply([.audit(F.audit(.fired, frozen, at: 1)), .routingState(key: "k", value: "a")])
        try b.apply([
            .audit(F.audit(.fired, frozen, at: 2)), .routingState(key: "k", value: "b"),
            .activeAlerts(group: "g", alerts: [F.persisted("Frozen", group: "g", venue: "x")]),
            .enqueue(F.entry(F.notification(id: "n1"), dueAt: 0)),
        ])
        #expect(try a.history(HistoryQuery()).records.map(\.instance) == ["klaxon-b", "klaxon-a"])
        #expect(try a.history(HistoryQuery(instance: "klaxon-a")).records.map(\.time) == [1])
        #expect(try b.history(HistoryQuery(instance: "klaxon-b")).records.map(\.time) == [2])
        #expect(try a.routingState(key: "k") == "a")
        #expect(try b.routingState(key: "k") == "b")
        #expect(try a.activeAlerts().isEmpty && b.activeAlerts().count == 1)
        #expect(try a.outboxDepth().count == 0 && b.outboxDepth().count == 1)
        #expect(try a.pruneAudit(olderThan: 10) == 1)
        #expect(try b.history(HistoryQuery()).records.map(\.instance) == ["klaxon-b"])
    }

    @Test(arguments: StoreBackend.enabled)
    func pruneAuditRemovesOnlyOlderRecords(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let store = try database.open()
        let frozen = F.alert("Frozen")
        try store.apply((1...5).map { .audit(F.audit(.fired, frozen, at: Int64($0) * 100)) })
        #expect(try store.pruneAudit(olderThan: 300) == 2)
        #expect(try store.history(HistoryQuery()).records.map(\.time) == [500, 400, 300])
        #expect(try store.pruneAudit(olderThan: 300) == 0)
    }

    // MARK: - Alert state, silences, acks, routing state

    @Test(arguments: StoreBackend.enabled)
    func activeAlertsAreReplacedPerGroup(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let store = try database.open()
        let g1 = [
            F.persisted("Frozen", group: "rules/a.yml;g1", venue: "binance"),
            F.persisted("Frozen", group: "rules/a.yml;g1", venue: "kraken"),
        ]
        let g2 = [F.persisted("Latency", group: "rules/a.yml;g2", venue: "okx")]
        try store.apply([
            .activeAlerts(group: "rules/a.yml;g1", alerts: g1), .activeAlerts(group: "rules/a.yml;g2", alerts: g2),
        ])
        #expect(try store.activeAlerts() == g1 + g2)

        let replaced = [F.persisted("Frozen", group: "rules/a.yml;g1", venue: "bybit")]
        try store.apply([.activeAlerts(group: "rules/a.yml;g1", alerts: replaced)])
        #expect(try store.activeAlerts() == replaced + g2)
        try store.apply([.activeAlerts(group: "rules/a.yml;g2", alerts: [])])
        #expect(try store.activeAlerts() == replaced)
    }

    @Test(arguments: StoreBackend.enabled)
    func persistedAlertValuesRoundTripIncludingNaNAndInfinity(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let store = try database.open()
        let values: [Double] = [.nan, .infinity, -.infinity, 0.1, -0.0, 1e-300, .greatestFiniteMagnitude]
        let alerts = values.enumerated().map { index, value in
            var alert = F.persisted("A\(index)", group: "g", venue: "v")
            alert.value = value
            return alert
        }
        try store.apply([.activeAlerts(group: "g", alerts: alerts)])
        #expect(try store.activeAlerts().map(\.value.bitPattern) == values.map(\.bitPattern))
    }

    @Test(arguments: StoreBackend.enabled)
    func silencesAreUpsertedAndListedNewestFirst(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let store = try database.open()
        let venue = try LabelMatcher("venue", .regexMatch, "bin.*|ok\\.x")
        let severity = try LabelMatcher("severity", .notEqual, "P0")
        let older = Silence(
            id: "0b6f", matchers: [venue, severity], createdBy: "ops", comment: "maintenance ✓", startsAt: 1_000,
            endsAt: .max, untilResolved: F.alert("Frozen").fingerprint, updatedAt: 1_000)
        let newer = Silence(
            id: "9a1c", matchers: [try LabelMatcher("alertname", .equal, "Latency")], createdBy: "dev",
            comment: "", startsAt: 5_000, endsAt: 6_000, updatedAt: 5_000)
        try store.apply([.silence(older), .silence(newer)])
        #expect(try store.silences() == [newer, older])

        var expired = older
        expired.endsAt = 7_000
        expired.updatedAt = 7_000
        try store.apply([.silence(expired)])
        #expect(try store.silences() == [newer, expired])
    }

    @Test(arguments: StoreBackend.enabled)
    func acksArePutReplacedAndRemoved(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let store = try database.open()
        let frozen = F.alert("Frozen").fingerprint
        let latency = F.alert("Latency").fingerprint
        let first = Ack(fingerprint: frozen, by: "alice", comment: "on it", at: 1_000)
        let second = Ack(fingerprint: latency, by: "bob", comment: "", at: 2_000, expiresAt: 9_000)
        try store.apply([.ack(first), .ack(second)])
        #expect(try store.acks() == [first, second])
        let again = Ack(fingerprint: frozen, by: "carol", comment: "taking over", at: 3_000, expiresAt: 4_000)
        try store.apply([.ack(again), .removeAck(latency)])
        #expect(try store.acks() == [again])
    }

    @Test(arguments: StoreBackend.enabled)
    func routingStateIsReplacedByKey(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let store = try database.open()
        #expect(try store.routingState(key: "rate_limit") == nil)
        try store.apply([.routingState(key: "rate_limit", value: "{\"P0\":1}")])
        try store.apply([.routingState(key: "rate_limit", value: "{\"P0\":2,\"x\":\"ü\"}")])
        #expect(try store.routingState(key: "rate_limit") == "{\"P0\":2,\"x\":\"ü\"}")
    }

    // MARK: - Outbox and delivery claims

    @Test(arguments: StoreBackend.enabled)
    func outboxKeepsTheFirstEntryOfAKeyAndListsDueEntriesOldestFirst(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let store = try database.open()
        let late = F.entry(F.notification(id: "late", createdAt: 3_000), dueAt: 9_000)
        let old = F.entry(F.notification(id: "old", createdAt: 1_000), dueAt: 5_000)
        let middle = F.entry(F.notification(id: "mid", receiver: "slack", createdAt: 2_000), dueAt: 4_000)
        var duplicate = F.entry(F.notification(id: "old", createdAt: 1_000), dueAt: 1)
        duplicate.notification.groupKey = "changed"
        try store.apply([.enqueue(late), .enqueue(middle), .enqueue(old), .enqueue(duplicate)])

        #expect(try store.dueOutbox(now: 5_000, limit: 10) == [old, middle])
        #expect(try store.dueOutbox(now: 9_000, limit: 10) == [old, middle, late])
        #expect(try store.dueOutbox(now: 9_000, limit: 1) == [old])
        #expect(try store.dueOutbox(now: 3_999, limit: 10).isEmpty)
        let depth = try store.outboxDepth()
        #expect(depth.count == 3 && depth.oldestCreatedAt == 1_000)
    }

    @Test(arguments: StoreBackend.enabled)
    func updateOutboxChangesStateAndLeavesTheDueList(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let store = try database.open()
        let first = F.entry(F.notification(id: "a", createdAt: 1_000), dueAt: 1_000)
        let second = F.entry(F.notification(id: "b", createdAt: 2_000), dueAt: 2_000)
        try store.apply([.enqueue(first), .enqueue(second)])

        var retry = first
        retry.attempts = 1
        retry.nextAttemptAt = 8_000
        retry.lastError = "server_error: 502 Bad Gateway"
        retry.updatedAt = 3_000
        var delivered = second
        delivered.state = .delivered
        delivered.attempts = 1
        delivered.updatedAt = 3_000
        try store.apply([.updateOutbox(retry), .updateOutbox(delivered)])
        #expect(try store.dueOutbox(now: 7_999, limit: 10).isEmpty)
        #expect(try store.dueOutbox(now: 8_000, limit: 10) == [retry])
        let depth = try store.outboxDepth()
        #expect(depth.count == 1 && depth.oldestCreatedAt == 1_000)
    }

    @Test(arguments: StoreBackend.enabled)
    func claimDeliveryIsWonOnceAcrossInstances(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let a = try database.open(instance: "klaxon-a")
        let b = try database.open(instance: "klaxon-b")
        #expect(try a.claimDelivery(key: "n1@telegram", now: 1_000))
        #expect(try !b.claimDelivery(key: "n1@telegram", now: 1_001))
        #expect(try a.claimDelivery(key: "n1@telegram", now: 1_002), "the holder may claim again after a restart")
        #expect(try b.claimDelivery(key: "n1@slack", now: 1_003))
        #expect(try !a.claimDelivery(key: "n1@slack", now: 1_004))
    }

    // MARK: - Transactions, restarts, migrations

    @Test(arguments: StoreBackend.enabled)
    func aBatchThatFailsHalfwayLeavesNothing(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let store = try database.open()
        let raw = try database.rawConnection()
        try StoreTestSQL.refuseRoutingStateKey("poison", on: raw)
        let frozen = F.alert("Frozen")
        let batch: [StoreWrite] = [
            .audit(F.audit(.fired, frozen, at: 1)),
            .ack(Ack(fingerprint: frozen.fingerprint, by: "a", comment: "", at: 1)),
            .enqueue(F.entry(F.notification(id: "n1"), dueAt: 0)), .routingState(key: "poison", value: "x"),
            .audit(F.audit(.sent, frozen, at: 2)),
        ]
        #expect(throws: StoreError.self) { try store.apply(batch) }
        #expect(try store.history(HistoryQuery()).records.isEmpty)
        #expect(try store.acks().isEmpty)
        #expect(try store.outboxDepth().count == 0)
        // The store is usable afterwards.
        try store.apply(Array(batch.prefix(3)))
        #expect(try store.history(HistoryQuery()).records.count == 1)
    }

    @Test(arguments: StoreBackend.enabled)
    func everythingSurvivesARestart(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let frozen = F.alert("Frozen", severity: "P0")
        let silence = Silence(
            id: "s", matchers: [try LabelMatcher("venue", .equal, "x")], createdBy: "ops", comment: "c", startsAt: 1,
            endsAt: 2, updatedAt: 1)
        let ack = Ack(fingerprint: frozen.fingerprint, by: "alice", comment: "mine", at: 5)
        let alerts = [F.persisted("Frozen", group: "g", venue: "binance")]
        let entry = F.entry(F.notification(id: "n1"), dueAt: 100)
        do {
            let store = try database.open()
            try store.apply([
                .audit(F.audit(.fired, frozen, at: 1)), .activeAlerts(group: "g", alerts: alerts), .silence(silence),
                .ack(ack), .enqueue(entry), .routingState(key: "k", value: "v"),
            ])
            #expect(try store.claimDelivery(key: entry.key, now: 1))
        }
        let reopened = try database.open()
        #expect(try reopened.history(HistoryQuery()).records.map(\.kind) == [.fired])
        #expect(try reopened.activeAlerts() == alerts)
        #expect(try reopened.silences() == [silence])
        #expect(try reopened.acks() == [ack])
        #expect(try reopened.dueOutbox(now: 100, limit: 10) == [entry])
        #expect(try reopened.routingState(key: "k") == "v")
        #expect(try reopened.claimDelivery(key: entry.key, now: 2))
    }

    @Test(arguments: StoreBackend.enabled)
    func migrationsRunOnceAndReopeningChangesNothing(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        _ = try database.open()
        _ = try database.open()
        _ = try database.open(instance: "klaxon-b")
        let raw = try database.rawConnection()
        let rows = try raw.query("SELECT version FROM schema_migrations ORDER BY version", [])
        let versions = try rows.map { row throws(StoreError) in try RowReader(row, table: "t").int(0, "version") }
        #expect(versions == StoreSchema.migrations.map(\.version))
        #expect(try StoreMigrator.migrate(raw, now: 0).isEmpty)
    }

    @Test(arguments: StoreBackend.enabled)
    func aSchemaNewerThanThisBuildIsRefused(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        _ = try database.open()
        let raw = try database.rawConnection()
        try raw.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            [.integer(Int64(StoreSchema.latestVersion + 1)), .text("from the future"), .integer(0)])
        let error = #expect(throws: StoreError.self) { _ = try database.open() }
        #expect(error?.kind == .schema)
        #expect(error?.message.contains("version \(StoreSchema.latestVersion + 1)") == true)
    }

    @Test(arguments: StoreBackend.enabled)
    func corruptRowsAreReportedWithTableAndRow(backend: StoreBackend) async throws {
        let database = try await backend.makeDatabase()
        let store = try database.open()
        let frozen = F.alert("Frozen")
        try store.apply([.audit(F.audit(.fired, frozen, at: 1)), .enqueue(F.entry(F.notification(id: "n1"), dueAt: 0))])
        let id = try #require(try store.history(HistoryQuery()).records.first?.id)
        let raw = try database.rawConnection()
        try raw.execute("UPDATE audit SET kind = $1 WHERE id = $2", [.text("exploded"), .integer(id)])
        try raw.execute("UPDATE outbox SET payload = $1", [.text("{\"id\": 1}")])

        let audit = #expect(throws: StoreError.self) { _ = try store.history(HistoryQuery()) }
        #expect(audit?.kind == .corrupt)
        #expect(audit?.message == "table audit row \(id): column kind holds an unknown value \"exploded\"")
        let outbox = #expect(throws: StoreError.self) { _ = try store.dueOutbox(now: 0, limit: 1) }
        #expect(outbox?.kind == .corrupt)
        #expect(outbox?.message.hasPrefix("table outbox row n1@telegram: column payload is not a notification") == true)
    }
}
