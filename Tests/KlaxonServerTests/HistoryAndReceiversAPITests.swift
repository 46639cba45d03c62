import Foundation
import KlaxonHTTP
import KlaxonMetrics
import KlaxonRouting
import KlaxonServer
import Testing

@Suite struct HistoryAPITests {
    private func records(_ response: HTTPResponse) -> [[String: Any]] {
        data(response)?["records"] as? [[String: Any]] ?? []
    }

    @Test func historyIsNewestFirstAndFilters() throws {
        let harness = AlertingAPIHarness()
        let frozen = harness.fire("ExchangeFrozen", .p0)
        harness.clock.advance(by: 1000)
        harness.fire("LatencyHigh", .p2)
        harness.clock.advance(by: 1000)
        harness.resolve(frozen)

        let all = records(harness.send("GET", "/api/v1/alerts/history"))
        #expect(all.count >= 3)
        let ids = all.compactMap { $0["id"] as? Int }
        #expect(ids == ids.sorted(by: >))
        let fired = records(harness.send("GET", "/api/v1/alerts/history?kind=fired"))
        #expect(fired.compactMap { $0["alertname"] as? String } == ["LatencyHigh", "ExchangeFrozen"])
        let p0 = records(harness.send("GET", "/api/v1/alerts/history?severity=P0&kind=resolved"))
        #expect(p0.count == 1)
        #expect(p0.first?["fingerprint"] as? String == frozen.fingerprint.description)
        #expect(p0.first?["time"] as? String == "2026-01-01T00:00:02.000Z")
        let byFingerprint = records(harness.send("GET", "/api/v1/alerts/history?fingerprint=\(frozen.fingerprint)"))
        #expect(byFingerprint.allSatisfy { $0["alertname"] as? String == "ExchangeFrozen" })
        let window = records(
            harness.send("GET", "/api/v1/alerts/history?kind=fired&since=2026-01-01T00:00:01Z&until=1767225602"))
        #expect(window.compactMap { $0["alertname"] as? String } == ["LatencyHigh"])
    }

    @Test func cursorPagesThroughEverythingOnce() throws {
        let harness = AlertingAPIHarness()
        for index in 0..<5 { harness.fire("Alert\(index)", .p3) }
        var seen: [Int] = []
        var cursor: String?
        for _ in 0..<10 {
            let page = try #require(
                data(
                    harness.send(
                        "GET", "/api/v1/alerts/history?kind=fired&limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))))
            seen += (page["records"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
            guard let next = page["nextCursor"] as? String else { break }
            cursor = next
        }
        #expect(seen.count == 5)
        #expect(Set(seen).count == 5)
    }

    @Test(arguments: [
        ("severity=P9", "invalid parameter \"severity\": \"P9\"; allowed: P0, P1, P2, P3"),
        ("fingerprint=zz", "invalid parameter \"fingerprint\": \"zz\" is not 16 hex digits"),
        ("limit=0", "invalid parameter \"limit\": \"0\"; allowed: 1 to 1000"),
        (
            "since=yesterday",
            "invalid parameter \"since\": cannot parse \"yesterday\"; use RFC 3339 (2026-01-01T09:30:00Z) or Unix seconds"
        ),
        ("since=20&until=10", "invalid parameter \"until\": it must be after since"),
        ("cursor=-1", "invalid parameter \"cursor\": \"-1\"; pass the nextCursor of the previous page"),
        (
            "sevrity=P1",
            "unknown parameter \"sevrity\"; allowed: severity, alertname, rule_id, source, fingerprint, kind, receiver, instance, since, until, limit, cursor"
        ),
    ])
    func badParametersAreNamed(query: String, message: String) {
        let harness = AlertingAPIHarness()
        let response = harness.send("GET", "/api/v1/alerts/history?" + query)
        #expect(response.status == .badRequest)
        #expect(errorMessage(response) == message)
    }

    @Test func kindErrorListsEveryKind() {
        let response = AlertingAPIHarness().send("GET", "/api/v1/alerts/history?kind=nope")
        #expect(errorMessage(response)?.contains(AuditKind.allCases.map(\.rawValue).joined(separator: ", ")) == true)
    }

    @Test func storeOutageIs503() {
        let harness = AlertingAPIHarness()
        harness.store.failure.withLock { $0 = StoreError(.unavailable, "connection refused") }
        let response = harness.send("GET", "/api/v1/alerts/history")
        #expect(response.status == .serviceUnavailable)
        #expect(errorMessage(response) == "the alert store is unavailable: connection refused")
    }
}

@Suite struct ReceiversAPITests {
    @Test func receiversAreListedByNameWithTheirHealth() throws {
        let statuses = [
            ReceiverStatus(
                name: "telegram", kind: "telegram", lastSuccessAt: 1_767_225_600_000, lastError: "HTTP 502",
                lastErrorAt: 1_767_225_660_500, outboxDepth: 3, failing: true),
            ReceiverStatus(name: "log", kind: "log"),
        ]
        let harness = AlertingAPIHarness(receivers: statuses)
        let receivers = try #require(data(harness.send("GET", "/api/v1/receivers"))?["receivers"] as? [[String: Any]])
        #expect(receivers.compactMap { $0["name"] as? String } == ["log", "telegram"])
        let telegram = receivers[1]
        #expect(telegram["kind"] as? String == "telegram")
        #expect(telegram["lastSuccessAt"] as? String == "2026-01-01T00:00:00.000Z")
        #expect(telegram["lastError"] as? String == "HTTP 502")
        #expect(telegram["lastErrorAt"] as? String == "2026-01-01T00:01:00.500Z")
        #expect(telegram["outboxDepth"] as? Int == 3)
        #expect(telegram["failing"] as? Bool == true)
        #expect(receivers[0]["lastSuccessAt"] is NSNull)
        #expect(receivers[0]["failing"] as? Bool == false)
    }
}
