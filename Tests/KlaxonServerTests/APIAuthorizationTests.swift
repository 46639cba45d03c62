import KlaxonHTTP
import KlaxonServer
import Testing

@Suite struct APIAuthorizationTests {
    @Test func writesNeedTheTokenAndReadsDoNot() {
        let harness = AlertingAPIHarness(token: "s3cret")
        let body = #"{"matchers":["a=\"b\""],"createdBy":"x","duration":"1h"}"#
        let anonymous = harness.send("POST", "/api/v1/silences", body: body)
        #expect(anonymous.status == .unauthorized)
        #expect(anonymous.headers["WWW-Authenticate"] == "Bearer realm=\"klaxon\"")
        #expect(errorMessage(anonymous)?.contains("Authorization: Bearer") == true)
        let wrong = harness.send("POST", "/api/v1/silences", body: body, headers: ["Authorization": "Bearer s3creT"])
        #expect(wrong.status == .unauthorized)
        let basic = harness.send("POST", "/api/v1/silences", body: body, headers: ["Authorization": "Basic s3cret"])
        #expect(basic.status == .unauthorized)
        #expect(harness.send("POST", "/api/v2/silences", body: body).status == .unauthorized)
        #expect(harness.send("DELETE", "/api/v2/silence/x").status == .unauthorized)
        #expect(harness.send("POST", "/api/v1/alerts/0000000000000001/ack", body: "{}").status == .unauthorized)
        #expect(harness.engine.read { $0.allSilences.isEmpty })

        let right = harness.send("POST", "/api/v1/silences", body: body, headers: ["Authorization": "bearer s3cret"])
        #expect(right.status == .ok)
        #expect(harness.send("GET", "/api/v1/silences").status == .ok)
        #expect(harness.send("GET", "/api/v2/alerts").status == .ok)
    }

    @Test func tokenNeverAppearsInAnswers() {
        let harness = AlertingAPIHarness(token: "s3cret")
        let response = harness.send("POST", "/api/v1/silences", body: "{}", headers: ["Authorization": "Bearer nope"])
        #expect(!String(decoding: response.body, as: UTF8.self).contains("s3cret"))
    }

    @Test(
        arguments: [
            ("127.0.0.1", false, nil), ("::1", false, nil), ("localhost", false, nil), ("127.1.2.3", false, nil),
            ("0.0.0.0", false, "0.0.0.0"), ("", false, "0.0.0.0"), ("10.0.0.5", false, "10.0.0.5"),
            ("0.0.0.0", true, nil),
        ] as [(String, Bool, String?)])
    func warnsWhenListeningBeyondLoopbackWithoutToken(host: String, tokenSet: Bool, named: String?) {
        let warning = APIAuthorization.exposureWarning(listenHost: host, tokenSet: tokenSet)
        if let named {
            #expect(warning?.contains("reach \(named);") == true)
            #expect(warning?.contains("api.token") == true)
        } else {
            #expect(warning == nil)
        }
    }
}

@Suite struct APITimeTests {
    @Test(
        arguments: [
            ("2026-01-01T00:00:00Z", 1_767_225_600_000), ("2026-01-01T00:00:00.5Z", 1_767_225_600_500),
            ("2026-01-01T01:00:00.123456789+01:00", 1_767_225_600_123),
            ("2025-12-31T19:00:00-05:00", 1_767_225_600_000),
            ("1970-01-01T00:00:00Z", 0), ("2024-02-29T00:00:00Z", 1_709_164_800_000),
            ("0001-01-01T00:00:00Z", APITime.earliest),
        ] as [(String, Int64)])
    func parsesRFC3339(text: String, milliseconds: Int64) {
        #expect(APITime.parseRFC3339(text) == milliseconds)
    }

    @Test(arguments: [
        "2026-01-01", "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00",
        "2026-01-01T00:00:00.Z", "2026-01-01T00:00:00+0100", "2026-01-01 00:00:00Z", "2026-01-01T00:00:00.1234567890Z",
    ])
    func refusesWhatIsNotRFC3339(text: String) {
        #expect(APITime.parseRFC3339(text) == nil)
    }

    @Test func formatsWithMillisecondsAndReadsBack() {
        for milliseconds: Int64 in [0, 1_767_225_600_123, APITime.earliest, APITime.latest, -1] {
            #expect(APITime.parseRFC3339(APITime.format(milliseconds)) == milliseconds)
        }
        #expect(APITime.format(Int64.max) == "9999-12-31T23:59:59.999Z")
        #expect(APITime.format(1_767_225_600_123) == "2026-01-01T00:00:00.123Z")
    }
}
