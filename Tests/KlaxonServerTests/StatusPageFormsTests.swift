import Foundation
import KlaxonHTTP
import KlaxonMetrics
import KlaxonRouting
import Testing

@testable import KlaxonServer

/// The status page's ack and silence forms as a browser posts them: the token in the form,
/// the JSON API's checks and effects, a redirect back or a page naming the bad field.
@Suite struct StatusPageFormsTests {
    static let token = "s3cret-token"
    static let form = "application/x-www-form-urlencoded"

    /// The alerting API and the forms on one router, writes guarded by `token`.
    struct Harness {
        let api: AlertingAPIHarness
        let router: HTTPRouter

        init(token: String? = StatusPageFormsTests.token) {
            api = AlertingAPIHarness(token: token)
            let authorization = APIAuthorization(token: token)
            var router = api.router
            StatusPageForms(
                alerts: AlertsAPI(engine: api.engine, clock: api.clock, authorization: authorization),
                silences: SilencesAPI(engine: api.engine, clock: api.clock, authorization: authorization),
                authorization: authorization
            ).register(in: &router)
            self.router = router
        }

        func post(_ path: String, _ body: String, headers: [String: String] = [:]) -> HTTPResponse {
            var fields: HTTPHeaders = ["Content-Type": StatusPageFormsTests.form, "Host": "127.0.0.1:9477"]
            for (name, value) in headers { fields.set(name, value) }
            return router.handle(HTTPRequest(method: "POST", target: path, headers: fields, body: Array(body.utf8)))
        }

        func alertState(_ fingerprint: Fingerprint) -> String? {
            let alerts = data(api.send("GET", "/api/v1/alerts"))?["alerts"] as? [[String: Any]] ?? []
            return alerts.first { $0["fingerprint"] as? String == fingerprint.description }?["state"] as? String
        }

        var silences: [[String: Any]] {
            data(api.send("GET", "/api/v1/silences"))?["silences"] as? [[String: Any]] ?? []
        }
    }

    static func text(_ response: HTTPResponse) -> String { String(decoding: response.body, as: UTF8.self) }

    @Test func theAckFormAcksThroughTheAPIAndRedirectsBackToThePage() {
        let harness = Harness()
        let event = harness.api.fire("ExchangeFrozen", .p0)
        let response = harness.post(
            "/ui/alerts/\(event.fingerprint)/ack", "by=alice&comment=on+it&expiry=30m&token=\(Self.token)",
            headers: ["Origin": "http://127.0.0.1:9477", "Sec-Fetch-Site": "same-origin"])
        #expect(response.status.code == 303)
        #expect(response.headers["Location"] == "/#alert-\(event.fingerprint)")
        #expect(harness.alertState(event.fingerprint) == "acked")
        let ack = harness.api.engine.read { $0.allAcks[event.fingerprint] }
        #expect(ack?.by == "alice" && ack?.comment == "on it")
        #expect(ack?.expiresAt == harness.api.clock.nowMilliseconds() + 30 * 60_000)

        let unack = harness.post("/ui/alerts/\(event.fingerprint)/unack", "by=bob&token=\(Self.token)")
        #expect(unack.status.code == 303)
        #expect(harness.alertState(event.fingerprint) == "firing")
    }

    @Test func aMissingOrWrongTokenIsRefusedAndChangesNothing() {
        let harness = Harness()
        let event = harness.api.fire("ExchangeFrozen", .p0)
        let path = "/ui/alerts/\(event.fingerprint)/ack"
        let missing = harness.post(path, "by=alice")
        #expect(missing.status == .unauthorized)
        #expect(Self.text(missing).contains("token: missing"))
        let wrong = harness.post(path, "by=alice&token=guess")
        #expect(wrong.status == .unauthorized)
        #expect(Self.text(wrong).contains("token: this is not api.token"))
        #expect(!Self.text(wrong).contains(Self.token), "the page never shows the token")
        #expect(wrong.headers["Content-Security-Policy"] == StatusPageHTML.contentSecurityPolicy)
        #expect(harness.alertState(event.fingerprint) == "firing")
        #expect(Harness(token: nil).post(path, "by=alice").status.code == 404, "no token configured: no check")
    }

    @Test func aPostFromAnotherSiteIsRefusedBeforeTheTokenIsRead() {
        let harness = Harness()
        let event = harness.api.fire("ExchangeFrozen", .p0)
        let path = "/ui/alerts/\(event.fingerprint)/ack"
        let body = "by=mallory&token=\(Self.token)"
        for headers in [
            ["Origin": "https://evil.example"], ["Origin": "null"], ["Sec-Fetch-Site": "cross-site"],
            ["Sec-Fetch-Site": "same-site", "Origin": "http://127.0.0.1:9477"],
        ] {
            let response = harness.post(path, body, headers: headers)
            #expect(response.status == .forbidden, "\(headers)")
            #expect(Self.text(response).contains("posted from another site"))
        }
        #expect(harness.alertState(event.fingerprint) == "firing")
    }

    @Test func badFieldsGetAPageNamingThem() {
        let harness = Harness()
        let event = harness.api.fire("ExchangeFrozen", .p0)
        let path = "/ui/alerts/\(event.fingerprint)/ack"
        let cases: [(String, Int, String)] = [
            ("token=\(Self.token)", 400, "ack.by: missing"),
            ("by=alice&expiry=soon&token=\(Self.token)", 400, "ack.expiry: &quot;soon&quot; is not a duration"),
            ("by=alice&admin=1&token=\(Self.token)", 400, "field &quot;admin&quot; is not one of this form"),
            ("by=%zz&token=\(Self.token)", 400, "field &quot;by&quot;: a % must be followed by two hex digits"),
        ]
        for (body, status, message) in cases {
            let response = harness.post(path, body)
            #expect(response.status.code == status, "\(body)")
            #expect(Self.text(response).contains(message), "\(body): \(Self.text(response))")
        }
        let json = harness.post(path, #"{"by":"alice"}"#, headers: ["Content-Type": "application/json"])
        #expect(json.status == .unsupportedMediaType)
        let gone = harness.post("/ui/alerts/00000000000000ff/ack", "by=alice&token=\(Self.token)")
        #expect(gone.status == .notFound)
        #expect(harness.alertState(event.fingerprint) == "firing")
    }

    @Test func theSilenceFormMakesASilenceFromOneMatcherALine() throws {
        let harness = Harness()
        let event = harness.api.fire("ExchangeFrozen", .p0, ["exchange": "okx"])
        let matchers = "alertname=\"ExchangeFrozen\"\r\n  exchange=~\"okx|bybit\"  \r\n\r\n"
        let body =
            "matchers=\(Self.encoded(matchers))&duration=2h&createdBy=alice&comment=maintenance&token=\(Self.token)"
        let response = harness.post("/ui/silences", body)
        #expect(response.status.code == 303)
        #expect(response.headers["Location"] == "/#alerts")
        let silence = try #require(harness.silences.first)
        #expect(silence["createdBy"] as? String == "alice")
        #expect(silence["comment"] as? String == "maintenance")
        #expect(silence["matchers"] as? [String] == ["alertname=\"ExchangeFrozen\"", "exchange=~\"okx|bybit\""])
        #expect(harness.alertState(event.fingerprint) == "silenced")
    }

    @Test func aBadSilenceFormNamesTheFieldAndMakesNoSilence() {
        let harness = Harness()
        let cases: [(String, String)] = [
            ("matchers=alertname%3D%22X%22&createdBy=alice", "silence.endsAt: missing; give endsAt"),
            ("matchers=alertname%3D%22X%22&duration=forever&createdBy=alice", "silence.duration: &quot;forever&quot;"),
            ("matchers=%3Dbroken&duration=2h&createdBy=alice", "silence.matchers[0]: matcher"),
            ("duration=2h&createdBy=alice", "silence.matchers: missing"),
            ("matchers=alertname%3D%22X%22&duration=2h", "silence.createdBy: missing"),
        ]
        for (body, message) in cases {
            let response = harness.post("/ui/silences", body + "&token=\(Self.token)")
            #expect(response.status == .badRequest, "\(body)")
            #expect(Self.text(response).contains(message), "\(body): \(Self.text(response))")
        }
        #expect(harness.silences.isEmpty)
    }

    /// What a browser sends for `text` in a form field.
    static func encoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "").replacingOccurrences(
            of: "%20", with: "+")
    }
}
