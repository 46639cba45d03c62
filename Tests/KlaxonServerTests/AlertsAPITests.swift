import Foundation
import KlaxonHTTP
import KlaxonMetrics
import KlaxonRouting
import KlaxonServer
import Testing

@Suite struct AlertsAPITests {
    private func alerts(_ harness: AlertingAPIHarness, _ query: String = "") -> [[String: Any]] {
        data(harness.send("GET", "/api/v1/alerts" + query))?["alerts"] as? [[String: Any]] ?? []
    }

    @Test func listsFiringAlertsWithStateLabelsAndReceivers() throws {
        let harness = AlertingAPIHarness()
        let event = harness.fire("ExchangeFrozen", .p0, ["exchange": "binance"])
        let listed = alerts(harness)
        #expect(listed.count == 1)
        let alert = try #require(listed.first)
        #expect(alert["fingerprint"] as? String == event.fingerprint.description)
        #expect((alert["fingerprint"] as? String)?.count == 16)
        #expect(alert["state"] as? String == "firing")
        #expect(alert["severity"] as? String == "P0")
        #expect((alert["labels"] as? [String: String])?["exchange"] == "binance")
        #expect((alert["annotations"] as? [String: String])?["summary"] == "ExchangeFrozen fired")
        #expect(alert["startsAt"] as? String == "2026-01-01T00:00:00.000Z")
        #expect(alert["value"] as? String == "1")
        #expect(alert["receivers"] as? [String] == ["telegram"])
        #expect(alert["ack"] is NSNull)
    }

    @Test func filterKeepsOnlyMatchingAlerts() {
        let harness = AlertingAPIHarness()
        harness.fire("ExchangeFrozen", .p0)
        harness.fire("LatencyHigh", .p2)
        let filtered = alerts(harness, "?filter=alertname%3D%22LatencyHigh%22")
        #expect(filtered.map { $0["labels"] as? [String: String] }.map { $0?["alertname"] } == ["LatencyHigh"])
        let bad = harness.send("GET", "/api/v1/alerts?filter=%3Dbroken")
        #expect(bad.status == .badRequest)
        #expect(errorMessage(bad)?.hasPrefix("invalid parameter \"filter\"") == true)
    }

    @Test func ackMarksTheAlertAckedUntilItIsTakenBack() throws {
        let harness = AlertingAPIHarness()
        let event = harness.fire("ExchangeFrozen", .p0)
        let path = "/api/v1/alerts/\(event.fingerprint)/ack"
        let acked = harness.send("POST", path, body: #"{"by":"alice","comment":"on it","expiry":"30m"}"#)
        #expect(acked.status == .ok)
        #expect(data(acked)?["by"] as? String == "alice")
        #expect(data(acked)?["expiresAt"] as? String == "2026-01-01T00:30:00.000Z")
        let alert = try #require(alerts(harness).first)
        #expect(alert["state"] as? String == "acked")
        #expect((alert["ack"] as? [String: Any])?["comment"] as? String == "on it")
        #expect(harness.engine.read { $0.allAcks[event.fingerprint]?.by } == "alice")

        let missingBy = harness.send("DELETE", path)
        #expect(missingBy.status == .badRequest)
        let unacked = harness.send("DELETE", path + "?by=bob")
        #expect(unacked.status == .ok)
        #expect(alerts(harness).first?["state"] as? String == "firing")
        #expect(harness.send("DELETE", path + "?by=bob").status == .notFound)
    }

    @Test func ackExpiresWithTheClock() {
        let harness = AlertingAPIHarness()
        let event = harness.fire("ExchangeFrozen", .p0)
        _ = harness.send("POST", "/api/v1/alerts/\(event.fingerprint)/ack", body: #"{"by":"alice","expiry":"5m"}"#)
        #expect(alerts(harness).first?["state"] as? String == "acked")
        harness.clock.advance(by: 5 * 60_000)
        #expect(alerts(harness).first?["state"] as? String == "firing")
    }

    @Test func ackOfAnAlertThatDoesNotFireIs404AndBadBodiesName400() {
        let harness = AlertingAPIHarness()
        let event = harness.fire("ExchangeFrozen", .p0)
        let unknown = harness.send("POST", "/api/v1/alerts/00000000000000ff/ack", body: #"{"by":"alice"}"#)
        #expect(unknown.status == .notFound)
        #expect(errorMessage(unknown) == "no firing alert has fingerprint 00000000000000ff")
        let notHex = harness.send("POST", "/api/v1/alerts/xyz/ack", body: #"{"by":"alice"}"#)
        #expect(notHex.status == .badRequest)
        let noBy = harness.send("POST", "/api/v1/alerts/\(event.fingerprint)/ack", body: #"{"comment":"x"}"#)
        #expect(noBy.status == .badRequest)
        #expect(errorMessage(noBy)?.hasPrefix("ack.by: missing") == true)
        harness.resolve(event)
        #expect(alerts(harness).isEmpty)
        #expect(
            harness.send("POST", "/api/v1/alerts/\(event.fingerprint)/ack", body: #"{"by":"alice"}"#).status
                == .notFound)
    }

    @Test func silencedAndInhibitedAlertsSayWhy() throws {
        let harness = AlertingAPIHarness()
        let block = harness.fire(
            "GlobalRiskBlock", .p0, ["rule_id": "D75.RISK_GUARD.GLOBAL_BLOCK", "source": "RiskGuard"])
        harness.fire(
            "SymbolBlocked", .p1, ["rule_id": "D75.RISK_GUARD.SYMBOL", "source": "RiskGuard", "symbol": "BTC"])
        harness.fire("LatencyHigh", .p2)
        _ = harness.send(
            "POST", "/api/v1/silences",
            body: #"{"matchers":["alertname=\"LatencyHigh\""],"createdBy":"a","duration":"1h"}"#)
        let byName = Dictionary(
            uniqueKeysWithValues: alerts(harness).compactMap { alert in
                ((alert["labels"] as? [String: String])?["alertname"]).map { ($0, alert) }
            })
        #expect(byName["SymbolBlocked"]?["state"] as? String == "inhibited")
        #expect(byName["SymbolBlocked"]?["inhibitedBy"] as? [String] == [block.fingerprint.description])
        #expect(byName["LatencyHigh"]?["state"] as? String == "silenced")
        #expect(byName["LatencyHigh"]?["silencedBy"] as? [String] == ["silence-1"])
        #expect(byName["GlobalRiskBlock"]?["state"] as? String == "firing")
    }
}
