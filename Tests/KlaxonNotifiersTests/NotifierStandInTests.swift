import Foundation
import KlaxonMetrics
import KlaxonNotifiers
import KlaxonRouting
import KlaxonTestSupport
import Testing

@Suite struct NotifierStandInTests {
    static let token = "123456:SECRET-token"
    let clock = ManualWallClock(milliseconds: Fixtures.t0 + 60_000)
    let transport = URLSessionTransport()

    private func telegram(_ standIn: HTTPStandIn, timeout: Int64 = 10_000, token: String = token) -> TelegramNotifier {
        TelegramNotifier(
            receiver: "tg", botToken: token, chatID: "-100200", apiURL: standIn.baseURL, timeoutMilliseconds: timeout,
            transport: transport, clock: clock)
    }

    /// The `text` of a `sendMessage` body.
    private func sentText(_ request: RecordedRequest) throws -> String {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
        #expect(object["chat_id"] as? String == "-100200")
        #expect(object["parse_mode"] as? String == "HTML")
        return try #require(object["text"] as? String)
    }

    @Test func telegramGetsTheExactMessage() async throws {
        let standIn = try NotifierStandIns.telegram(token: Self.token)
        defer { standIn.stop() }
        let alert = Fixtures.alert(labels: ["venue": "binance"], annotations: ["summary": "Frozen"])
        let result = await telegram(standIn).send(Fixtures.notification([alert]), attempt: 1)
        #expect(result == .delivered)
        let request = try #require(standIn.requests.first)
        #expect(request.path == "/bot\(Self.token)/sendMessage")
        #expect(request.headers["Idempotency-Key"] == "n-1")
        #expect(request.headers["Content-Type"] == "application/json")
        let fingerprint = alert.fingerprint.description
        #expect(
            request.text
                == #"{"chat_id":"-100200","text":"🚨 <b>P0 FIRING: ExchangeFrozen</b>\n<b>Summary: </b>Frozen\n"#
                + #"<b>Value: </b>1\n<b>Labels: </b><code>severity=P0</code>, <code>venue=binance</code>\n"#
                + #"<b>Since: </b>2026-01-01 00:00:00 UTC (for 1m)\n"#
                + #"<b>Ack: </b><code>klaxon ack \#(fingerprint)</code> or "#
                + #"<code>POST http://klaxon.example/api/v1/alerts/\#(fingerprint)/ack</code>","parse_mode":"HTML","#
                + #""disable_web_page_preview":true}"#)
    }

    @Test func telegramEscapesLabelsAndAnnotations() async throws {
        let standIn = try NotifierStandIns.telegram(token: Self.token)
        defer { standIn.stop() }
        let alert = Fixtures.alert(
            labels: ["venue": "<b>", "pair": "A&amp;B"], annotations: ["summary": "🚨 \"quoted\" <script>"])
        #expect(await telegram(standIn).send(Fixtures.notification([alert]), attempt: 1) == .delivered)
        let text = try sentText(try #require(standIn.requests.first))
        #expect(TelegramHTML.problem(in: text) == nil)
        #expect(text.contains("<code>venue=&lt;b&gt;</code>"))
        #expect(text.contains("<code>pair=A&amp;amp;B</code>"))
        #expect(text.contains("<b>Summary: </b>🚨 &quot;quoted&quot; &lt;script&gt;"))
    }

    @Test func aLongDescriptionArrivesAsNumberedPartsEachWithinTheLimit() async throws {
        let standIn = try NotifierStandIns.telegram(token: Self.token)
        defer { standIn.stop() }
        let description = String(repeating: "<b>&amp; 🚨 ", count: 500)
        let alert = Fixtures.alert(annotations: ["description": description])
        #expect(await telegram(standIn).send(Fixtures.notification([alert]), attempt: 1) == .delivered)
        let requests = standIn.requests
        #expect(requests.count == 2)
        var received = ""
        for (index, request) in requests.enumerated() {
            let text = try sentText(request)
            #expect(text.hasPrefix("(\(index + 1)/\(requests.count)) "))
            #expect(TelegramHTML.visibleLength(text) <= 4096)
            #expect(TelegramHTML.problem(in: text) == nil)
            #expect(request.headers["Idempotency-Key"] == (index == 0 ? "n-1" : "n-1-\(index + 1)"))
            received += text.dropFirst("(\(index + 1)/\(requests.count)) ".count)
        }
        #expect(received.replacing("&lt;b&gt;&amp;amp; 🚨 ", with: "").contains("&lt;") == false)
        #expect(received.components(separatedBy: "&lt;b&gt;&amp;amp; 🚨").count - 1 == 500)
    }

    @Test func telegramFloodControlIsThrottledWithItsRetryAfter() async throws {
        let standIn = try NotifierStandIns.telegram(token: Self.token)
        defer { standIn.stop() }
        standIn.setMode(.throttle(retryAfterSeconds: 3))
        let result = await telegram(standIn).send(Fixtures.notification([Fixtures.alert()]), attempt: 1)
        guard case .failed(let error, let retryAfter) = result else {
            Issue.record("expected throttling, got \(result)")
            return
        }
        #expect(error.errorClass == .throttled)
        #expect(retryAfter == 3000)
    }

    @Test func aWrongTokenIsAConfigurationErrorThatNeverQuotesTheToken() async throws {
        let standIn = try NotifierStandIns.telegram(token: Self.token)
        defer { standIn.stop() }
        let result = await telegram(standIn, token: "999:WRONG").send(
            Fixtures.notification([Fixtures.alert()]), attempt: 1)
        guard case .failed(let error, _) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.errorClass == .configuration)
        #expect(!error.description.contains("WRONG"))
        #expect(error.message.hasPrefix("Telegram answered 404: Not Found"))
    }

    @Test func aHangingServerIsATimeout() async throws {
        let standIn = try NotifierStandIns.telegram(token: Self.token)
        defer { standIn.stop() }
        standIn.setMode(.hang)
        let result = await telegram(standIn, timeout: 300).send(Fixtures.notification([Fixtures.alert()]), attempt: 1)
        guard case .failed(let error, _) = result else {
            Issue.record("expected a timeout")
            return
        }
        #expect(error.errorClass == .timeout)
        #expect(!error.description.contains(Self.token))
        #expect(error.message == "Telegram API at 127.0.0.1: no answer within 300ms")
    }

    @Test func nobodyListeningIsANetworkError() async throws {
        let port = try FreePort.next()
        let notifier = WebhookNotifier(
            receiver: "hook", url: "http://127.0.0.1:\(port)/x?token=s3cret", transport: transport)
        let result = await notifier.send(Fixtures.notification([Fixtures.alert()]), attempt: 1)
        guard case .failed(let error, _) = result else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.errorClass == .network)
        #expect(!error.description.contains("s3cret"))
    }

    @Test func slackGetsBlocksAndItsThrottlingIsHonoured() async throws {
        let standIn = try NotifierStandIns.slack()
        defer { standIn.stop() }
        let notifier = SlackNotifier(
            receiver: "slack", webhookURL: standIn.baseURL + "/services/T0/B0/XYZ", transport: transport, clock: clock)
        let notification = Fixtures.notification([Fixtures.alert(labels: ["venue": "<b>"], annotations: [:])])
        #expect(await notifier.send(notification, attempt: 1) == .delivered)
        let request = try #require(standIn.requests.first)
        #expect(request.path == "/services/T0/B0/XYZ")
        #expect(request.headers["Idempotency-Key"] == "n-1")
        let fingerprint = notification.alerts[0].fingerprint.description
        #expect(
            request.text
                == #"{"text":"🚨 P0 FIRING: ExchangeFrozen","blocks":[{"type":"section","text":{"type":"mrkdwn","#
                + #""text":"🚨 *P0 FIRING: ExchangeFrozen*\n*Value: *1\n*Labels: *`severity=P0`, `venue=&lt;b&gt;`\n"#
                + #"*Since: *2026-01-01 00:00:00 UTC (for 1m)\n*Ack: *`klaxon ack \#(fingerprint)` or "#
                + #"`POST http://klaxon.example/api/v1/alerts/\#(fingerprint)/ack`"}}]}"#)
        standIn.setMode(.throttle(retryAfterSeconds: 7))
        let throttled = await notifier.send(notification, attempt: 2)
        guard case .failed(let error, let retryAfter) = throttled else {
            Issue.record("expected throttling")
            return
        }
        #expect(error.errorClass == .throttled)
        #expect(retryAfter == 7000)
        standIn.setMode(.fail(status: 400))
        guard case .failed(let rejected, _) = await notifier.send(notification, attempt: 3) else {
            Issue.record("expected a rejection")
            return
        }
        #expect(rejected.errorClass == .rejected)
        #expect(rejected.message == "Slack answered 400: invalid_payload")
    }

    @Test func webhookGetsAlertmanagersPayload() async throws {
        let standIn = try NotifierStandIns.webhook()
        defer { standIn.stop() }
        let notifier = WebhookNotifier(receiver: "hook", url: standIn.baseURL + "/alerts", transport: transport)
        let notification = Fixtures.notification([Fixtures.alert(labels: ["venue": "<b>&amp;"])], receiver: "hook")
        #expect(await notifier.send(notification, attempt: 1) == .delivered)
        let request = try #require(standIn.requests.first)
        #expect(request.method == "POST")
        #expect(request.path == "/alerts")
        #expect(request.headers["Idempotency-Key"] == "n-1")
        #expect(request.text == WebhookPayload.json(notification))
        #expect(request.text.contains(#""venue":"\u003cb\u003e\u0026amp;""#))
        standIn.setMode(.fail(status: 503))
        guard case .failed(let error, _) = await notifier.send(notification, attempt: 2) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.errorClass == .serverError)
    }

    @Test func alertmanagerForwardingSucceedsWhenOneOfTwoAccepts() async throws {
        let first = try NotifierStandIns.webhook()
        let second = try NotifierStandIns.webhook()
        defer {
            first.stop()
            second.stop()
        }
        first.setMode(.fail(status: 500))
        let notifier = AlertmanagerNotifier(
            receiver: "am", urls: [first.baseURL, second.baseURL + "/"], transport: transport, clock: clock)
        let notification = Fixtures.notification([Fixtures.alert()], receiver: "am")
        #expect(await notifier.send(notification, attempt: 1) == .delivered)
        let request = try #require(second.requests.first)
        #expect(request.path == "/api/v2/alerts")
        #expect(request.text.contains(#""endsAt":"2026-01-01T00:05:00.000Z""#))
        second.setMode(.fail(status: 400))
        guard case .failed(let error, _) = await notifier.send(notification, attempt: 2) else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.errorClass == .serverError)
        #expect(error.message.contains("answered 500") && error.message.contains("answered 400"))
    }
}
