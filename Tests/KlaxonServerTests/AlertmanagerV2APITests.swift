import KlaxonHTTP
import KlaxonMetrics
import KlaxonRouting
import KlaxonServer
import Testing

@Suite struct AlertmanagerV2APITests {
    private func array(_ response: HTTPResponse) -> [[String: Any]] {
        json(response) as? [[String: Any]] ?? []
    }

    @Test func alertsHaveGettableAlertShape() throws {
        let harness = AlertingAPIHarness()
        let event = harness.fire("ExchangeFrozen", .p0, ["exchange": "binance"])
        let response = harness.send("GET", "/api/v2/alerts")
        #expect(response.status == .ok)
        let alert = try #require(array(response).first)
        #expect(
            Set(alert.keys) == [
                "annotations", "endsAt", "fingerprint", "receivers", "startsAt", "status", "updatedAt", "labels",
            ])
        #expect(alert["fingerprint"] as? String == event.fingerprint.description)
        #expect(alert["startsAt"] as? String == "2026-01-01T00:00:00.000Z")
        #expect(alert["endsAt"] as? String == "0001-01-01T00:00:00.000Z")
        #expect((alert["receivers"] as? [[String: String]])?.first?["name"] == "telegram")
        let status = try #require(alert["status"] as? [String: Any])
        #expect(status["state"] as? String == "active")
        #expect(status["silencedBy"] as? [String] == [])
        #expect(status["inhibitedBy"] as? [String] == [])
        #expect((alert["labels"] as? [String: String])?["exchange"] == "binance")
    }

    @Test func silencedAlertsAreSuppressedAndFlagsFilterThem() {
        let harness = AlertingAPIHarness()
        harness.fire("LatencyHigh", .p2)
        harness.fire("ExchangeFrozen", .p0)
        let body = #"""
            {"matchers":[{"name":"alertname","value":"LatencyHigh","isRegex":false,"isEqual":true}],
             "startsAt":"2026-01-01T00:00:00.000Z","endsAt":"2026-01-01T01:00:00.000Z","createdBy":"amtool","comment":""}
            """#
        let posted = harness.send("POST", "/api/v2/silences", body: body)
        #expect(posted.status == .ok)
        #expect((json(posted) as? [String: String])?["silenceID"] == "silence-1")
        let states = array(harness.send("GET", "/api/v2/alerts")).compactMap {
            ($0["status"] as? [String: Any])?["state"] as? String
        }
        #expect(states.sorted() == ["active", "suppressed"])
        let unsilenced = array(harness.send("GET", "/api/v2/alerts?silenced=false"))
        #expect(unsilenced.compactMap { ($0["labels"] as? [String: String])?["alertname"] } == ["ExchangeFrozen"])
        let inactive = array(harness.send("GET", "/api/v2/alerts?active=false"))
        #expect(inactive.compactMap { ($0["labels"] as? [String: String])?["alertname"] } == ["LatencyHigh"])
        let filtered = array(harness.send("GET", "/api/v2/alerts?filter=alertname%3DExchangeFrozen"))
        #expect(filtered.count == 1)
        #expect(harness.send("GET", "/api/v2/alerts?active=maybe").status == .badRequest)
    }

    @Test func silencesHaveGettableSilenceShapeAndExpireByDelete() throws {
        let harness = AlertingAPIHarness()
        let body = #"""
            {"matchers":[{"name":"venue","value":"a|b","isRegex":true,"isEqual":true}],
             "startsAt":"2026-01-01T00:00:00Z","endsAt":"2026-01-01T02:00:00Z","createdBy":"grafana","comment":"x"}
            """#
        _ = harness.send("POST", "/api/v2/silences", body: body)
        let silence = try #require(array(harness.send("GET", "/api/v2/silences")).first)
        #expect(
            Set(silence.keys) == [
                "id", "status", "updatedAt", "comment", "createdBy", "endsAt", "matchers", "startsAt",
            ])
        #expect((silence["status"] as? [String: String])?["state"] == "active")
        #expect(silence["endsAt"] as? String == "2026-01-01T02:00:00.000Z")
        let matcher = try #require((silence["matchers"] as? [[String: Any]])?.first)
        #expect(matcher["name"] as? String == "venue" && matcher["value"] as? String == "a|b")
        #expect(matcher["isRegex"] as? Bool == true && matcher["isEqual"] as? Bool == true)
        #expect(
            (json(harness.send("GET", "/api/v2/silence/silence-1")) as? [String: Any])?["id"] as? String == "silence-1")
        #expect(array(harness.send("GET", "/api/v2/silences?filter=venue%3D%22a%7Cb%22")).count == 1)
        #expect(array(harness.send("GET", "/api/v2/silences?filter=venue%3Dc")).isEmpty)

        let deleted = harness.send("DELETE", "/api/v2/silence/silence-1")
        #expect(deleted.status == .ok && deleted.body.isEmpty)
        #expect(harness.send("DELETE", "/api/v2/silence/silence-1").status == .ok)
        #expect(harness.send("DELETE", "/api/v2/silence/unknown").status == .notFound)
        #expect(harness.send("GET", "/api/v2/silence/unknown").status == .notFound)
        let expired = try #require(array(harness.send("GET", "/api/v2/silences")).first)
        #expect((expired["status"] as? [String: String])?["state"] == "expired")
    }

    @Test func badSilenceIsA400WithAJSONStringBody() {
        let harness = AlertingAPIHarness()
        let response = harness.send("POST", "/api/v2/silences", body: #"{"matchers":[],"createdBy":"x"}"#)
        #expect(response.status == .badRequest)
        #expect((json(response) as? String)?.hasPrefix("silence.matchers: missing") == true)
    }

    @Test func statusAndReceiversAreMinimalButComplete() throws {
        let harness = AlertingAPIHarness()
        let status = try #require(json(harness.send("GET", "/api/v2/status")) as? [String: Any])
        #expect(Set(status.keys) == ["cluster", "config", "uptime", "versionInfo"])
        #expect((status["cluster"] as? [String: Any])?["status"] as? String == "disabled")
        #expect(status["uptime"] as? String == "2026-01-01T00:00:00.000Z")
        let version = try #require(status["versionInfo"] as? [String: String])
        #expect(Set(version.keys) == ["branch", "buildDate", "buildUser", "goVersion", "revision", "version"])
        #expect(version["version"] == KlaxonVersion.version)
        let original = try #require((status["config"] as? [String: String])?["original"])
        #expect(
            original.contains("route:\n  receiver: \"log\"\nreceivers:\n  - name: \"log\"\n  - name: \"telegram\"\n"))
        let receivers = json(harness.send("GET", "/api/v2/receivers")) as? [[String: String]]
        #expect(receivers?.compactMap { $0["name"] } == ["log", "telegram"])
    }

    @Test func alertGroupsGroupByReceiverAndGroupLabels() throws {
        let harness = AlertingAPIHarness()
        harness.fire("ExchangeFrozen", .p0, ["exchange": "okx"])
        harness.fire("ExchangeFrozen", .p0, ["exchange": "binance"])
        harness.fire("LatencyHigh", .p3)
        let groups = array(harness.send("GET", "/api/v2/alerts/groups"))
        #expect(groups.count == 2)
        let byReceiver = Dictionary(
            uniqueKeysWithValues: groups.compactMap { group in
                ((group["receiver"] as? [String: String])?["name"]).map { ($0, group) }
            })
        let paged = try #require(byReceiver["telegram"])
        #expect((paged["alerts"] as? [[String: Any]])?.count == 2)
        #expect(
            paged["labels"] as? [String: String] == [
                "alertname": "ExchangeFrozen", "severity": "P0", "source": "System",
            ])
        #expect((byReceiver["audit-only"]?["alerts"] as? [[String: Any]])?.count == 1)
    }

    @Test func everyRouteOfTheWholeAPIIsMounted() {
        var router = HTTPRouter()
        let harness = AlertingAPIHarness()
        AlertingAPI.register(
            in: &router, engine: harness.engine, store: harness.store, receivers: { [] }, token: nil,
            clock: harness.clock, startedAt: 0)
        for path in AlertingAPI.exactPaths {
            let response = router.handle(HTTPRequest(method: "GET", target: path))
            #expect(response.headers["Content-Type"] == "application/json", "\(path)")
        }
        for prefix in AlertingAPI.prefixPaths {
            // The router's own 404 for an unknown path is plain text; the APIs answer JSON.
            let response = router.handle(HTTPRequest(method: "DELETE", target: prefix + "x"))
            #expect(response.headers["Content-Type"] == "application/json", "\(prefix)")
        }
    }
}
