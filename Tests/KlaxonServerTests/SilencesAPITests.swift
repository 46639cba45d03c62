import Foundation
import KlaxonHTTP
import KlaxonMetrics
import KlaxonRouting
import KlaxonServer
import Testing

@Suite struct SilencesAPITests {
    private func silences(_ harness: AlertingAPIHarness, _ query: String = "") -> [[String: Any]] {
        data(harness.send("GET", "/api/v1/silences" + query))?["silences"] as? [[String: Any]] ?? []
    }

    @Test func createdSilenceIsListedAndMutesMatchingAlerts() throws {
        let harness = AlertingAPIHarness()
        harness.fire("LatencyHigh", .p2, ["venue": "binance"])
        let body = #"""
            {"matchers":["venue=~\"binance|okx\"",{"name":"alertname","value":"LatencyHigh","isRegex":false}],
             "createdBy":"alice","comment":"maintenance","duration":"2h"}
            """#
        let created = harness.send("POST", "/api/v1/silences", body: body)
        #expect(created.status == .ok)
        let silence = try #require(data(created))
        #expect(silence["id"] as? String == "silence-1")
        #expect(silence["state"] as? String == "active")
        #expect(silence["matchers"] as? [String] == [#"venue=~"binance|okx""#, #"alertname="LatencyHigh""#])
        #expect(silence["startsAt"] as? String == "2026-01-01T00:00:00.000Z")
        #expect(silence["endsAt"] as? String == "2026-01-01T02:00:00.000Z")
        #expect(silences(harness).map { $0["id"] as? String } == ["silence-1"])
        #expect(data(harness.send("GET", "/api/v1/alerts"))?["alerts"].map { "\($0)" }?.contains("silenced") == true)
        let history = try #require(data(harness.send("GET", "/api/v1/alerts/history?kind=silence_created")))
        #expect((history["records"] as? [[String: Any]])?.count == 1)
    }

    @Test func expireEndsTheSilenceAndHidesItFromTheDefaultList() throws {
        let harness = AlertingAPIHarness()
        _ = harness.send(
            "POST", "/api/v1/silences", body: #"{"matchers":["job=\"engine\""],"createdBy":"alice","duration":"1h"}"#)
        harness.clock.advance(by: 60_000)
        let expired = harness.send("DELETE", "/api/v1/silences/silence-1")
        #expect(expired.status == .ok)
        #expect(data(expired)?["state"] as? String == "expired")
        #expect(data(expired)?["endsAt"] as? String == "2026-01-01T00:01:00.000Z")
        #expect(silences(harness).isEmpty)
        #expect(silences(harness, "?expired=true").count == 1)
        #expect(harness.send("DELETE", "/api/v1/silences/silence-1").status == .badRequest)
        #expect(harness.send("DELETE", "/api/v1/silences/nope").status == .notFound)
    }

    @Test func untilResolvedSilencesExactlyThatAlertAndEndsWithIt() throws {
        let harness = AlertingAPIHarness()
        let event = harness.fire("ExchangeFrozen", .p0, ["exchange": "okx"])
        let created = harness.send(
            "POST", "/api/v1/silences", body: #"{"untilResolved":"\#(event.fingerprint)","createdBy":"alice"}"#)
        #expect(created.status == .ok)
        let silence = try #require(data(created))
        #expect(silence["endsAt"] is NSNull)
        #expect(silence["untilResolved"] as? String == event.fingerprint.description)
        #expect((silence["matchers"] as? [String])?.contains(#"exchange="okx""#) == true)
        harness.clock.advance(by: 10_000)
        harness.resolve(event)
        #expect(silences(harness).isEmpty)
        #expect(silences(harness, "?expired=true").first?["state"] as? String == "expired")
    }

    @Test func untilResolvedNeedsAFiringAlert() {
        let harness = AlertingAPIHarness()
        let response = harness.send(
            "POST", "/api/v1/silences", body: #"{"untilResolved":"00000000000000aa","createdBy":"alice"}"#)
        #expect(response.status == .notFound)
        #expect(errorMessage(response)?.hasPrefix("silence.untilResolved: no firing alert") == true)
    }

    @Test func postingWithAnIdReplacesThatSilenceAndAnUnknownIdIs404() throws {
        let harness = AlertingAPIHarness()
        _ = harness.send(
            "POST", "/api/v1/silences", body: #"{"matchers":["job=\"engine\""],"createdBy":"alice","duration":"1h"}"#)
        let replaced = harness.send(
            "POST", "/api/v1/silences",
            body: #"{"id":"silence-1","matchers":["job=\"engine\""],"createdBy":"bob","duration":"3h"}"#)
        #expect(data(replaced)?["createdBy"] as? String == "bob")
        #expect(silences(harness).count == 1)
        let unknown = harness.send(
            "POST", "/api/v1/silences", body: #"{"id":"zzz","matchers":["a=\"b\""],"createdBy":"x","duration":"1h"}"#)
        #expect(unknown.status == .notFound)
    }

    @Test func badBodiesAreRefusedNamingTheField() {
        let harness = AlertingAPIHarness()
        let response = harness.send(
            "POST", "/api/v1/silences", body: #"{"matchers":["a=\"b\"","=x"],"createdBy":"x","duration":"1h"}"#)
        #expect(response.status == .badRequest)
        #expect(errorMessage(response)?.hasPrefix("silence.matchers[1]: ") == true)
        #expect(silences(harness).isEmpty)
    }
}

@Suite struct PendingSilenceTests {
    @Test func aPendingSilenceExpiredBeforeItStartsIsShownExpired() throws {
        let harness = AlertingAPIHarness()
        let body = #"{"matchers":["job=\"engine\""],"createdBy":"a","startsAt":"2026-01-01T01:00:00Z","duration":"1h"}"#
        #expect(data(harness.send("POST", "/api/v1/silences", body: body))?["state"] as? String == "pending")
        let expired = harness.send("DELETE", "/api/v1/silences/silence-1")
        #expect(expired.status == .ok)
        #expect(data(expired)?["state"] as? String == "expired")
        #expect((data(harness.send("GET", "/api/v1/silences"))?["silences"] as? [[String: Any]])?.isEmpty == true)
    }
}
