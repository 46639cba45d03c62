import KlaxonConfig
import KlaxonMetrics
import KlaxonRouting
import Testing

@Suite struct RouterSnapshotTests {
    /// A restart in the middle of everything: one P2 waiting for its group_wait, one notified P0
    /// with an escalation due and an ack, one silence. The restored router carries on identically.
    @Test func aRestoredRouterDoesWhatTheOriginalWouldHaveDone() throws {
        var original = RouterFixtures.router(.dev)
        let imbalance = RouterFixtures.firing("InventoryImbalanceHigh", .p2, ["pair": "BTC"])
        let frozen = RouterFixtures.firing("ExchangeFrozen", .p0, ["exchange": "binance"])
        let redis = RouterFixtures.firing("RedisConnectionLost", .p0)
        _ = original.receive([frozen, redis], now: 0)
        _ = original.receive([imbalance], now: 10_000)
        let ack = Ack(fingerprint: redis.fingerprint, by: "alice", comment: "", at: 20_000)
        _ = try original.acknowledge(ack, now: 20_000)
        let silence = Silence(
            id: "s", matchers: [try LabelMatcher(parsing: "pair=ETH")], createdBy: "bob", comment: "", startsAt: 0,
            endsAt: 1_000_000, updatedAt: 0)
        _ = original.addSilence(silence, now: 20_000)

        let text = original.snapshot.encoded()
        var restored = RouterFixtures.router(.dev)
        try restored.restore(RouterSnapshot(decoding: text), silences: [silence], acks: [ack], now: 25_000)
        #expect(restored.snapshot == original.snapshot)
        #expect(restored.nextDeadline == original.nextDeadline)

        // Neither re-pages the notified P0 on a duplicate; both send the P2 group and escalate only the unacked P0.
        for time in [Int64(40_000), 120_000] {
            let expected = original.tick(now: time)
            let actual = restored.tick(now: time)
            #expect(actual == expected)
        }
        #expect(restored.receive([frozen], now: 130_000).notifications.isEmpty)
    }

    @Test func corruptStateIsAStoreErrorNotATrap() {
        #expect(throws: StoreError.self) { try RouterSnapshot(decoding: "{\"groups\": 3}") }
        let badStatus = RouterSnapshot.self
        #expect(throws: StoreError.self) {
            var router = RouterFixtures.router()
            let text = """
                {"escalations":[],"groups":[{"alerts":[{"activeAt":0,"annotations":{},"generatorURL":"",\
                "labels":{"alertname":"X"},"startsAt":0,"status":"exploded","valueBits":0}],"createdAt":0,\
                "labels":{},"notified":[],"severity":0,"source":""}],"suppressed":{},"ungrouped":[]}
                """
            try router.restore(badStatus.init(decoding: text), silences: [], acks: [], now: 0)
        }
    }
}
