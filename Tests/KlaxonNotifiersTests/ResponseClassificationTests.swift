import KlaxonNotifiers
import KlaxonRouting
import Testing

@Suite struct ResponseClassificationTests {
    struct Case: Sendable, CustomStringConvertible {
        var description: String
        var status: Int
        var body: String
        var errorClass: DeliveryErrorClass?
        var retryAfter: Int64?
    }

    static let telegram: [Case] = [
        Case(description: "ok", status: 200, body: #"{"ok":true,"result":{"message_id":1}}"#, errorClass: nil),
        Case(
            description: "flood control", status: 429,
            body:
                #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","#
                + #""parameters":{"retry_after":3}}"#,
            errorClass: .throttled, retryAfter: 3000),
        Case(description: "429 without parameters", status: 429, body: "", errorClass: .throttled),
        Case(
            description: "bad markup", status: 400,
            body: #"{"ok":false,"error_code":400,"description":"Bad Request: can't parse entities"}"#,
            errorClass: .rejected),
        Case(
            description: "wrong token", status: 401,
            body: #"{"ok":false,"error_code":401,"description":"Unauthorized"}"#, errorClass: .configuration),
        Case(description: "wrong api url", status: 404, body: "<html>not found</html>", errorClass: .configuration),
        Case(
            description: "bot blocked", status: 403,
            body: #"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#,
            errorClass: .rejected),
        Case(description: "gateway", status: 502, body: "<html>Bad Gateway</html>", errorClass: .serverError),
        Case(
            description: "200 but not ok", status: 200,
            body: #"{"ok":false,"error_code":500,"description":"Internal"}"#, errorClass: .serverError),
        Case(
            description: "retry_after beats the code", status: 400,
            body: #"{"ok":false,"error_code":400,"parameters":{"retry_after":1e9}}"#, errorClass: .throttled,
            retryAfter: 86_400_000),
    ]

    @Test(arguments: telegram)
    func telegramAnswers(_ testCase: Case) {
        check(TelegramResponse.classify(status: testCase.status, body: Array(testCase.body.utf8)), testCase)
    }

    @Test func telegramErrorTextQuotesTheDescriptionAndTheMigratedChat() {
        let body =
            #"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded","#
            + #""parameters":{"migrate_to_chat_id":-1001234}}"#
        guard case .failed(let error, _) = TelegramResponse.classify(status: 400, body: Array(body.utf8)) else {
            Issue.record("expected a failure")
            return
        }
        #expect(
            error.message
                == "Telegram answered 400: Bad Request: group chat was upgraded "
                + "(the group is now chat -1001234; set chat_id to it)"
        )
    }

    static let slack: [Case] = [
        Case(description: "ok", status: 200, body: "ok", errorClass: nil),
        Case(description: "rate limited", status: 429, body: "", errorClass: .throttled, retryAfter: 30_000),
        Case(description: "invalid payload", status: 400, body: "invalid_payload", errorClass: .rejected),
        Case(description: "invalid token", status: 403, body: "invalid_token", errorClass: .configuration),
        Case(description: "archived", status: 410, body: "channel_is_archived", errorClass: .configuration),
        Case(description: "server", status: 503, body: "", errorClass: .serverError, retryAfter: 30_000),
    ]

    @Test(arguments: slack)
    func slackAnswers(_ testCase: Case) {
        check(
            SlackResponse.classify(status: testCase.status, retryAfter: "30", body: Array(testCase.body.utf8)), testCase
        )
    }

    static let generic: [Case] = [
        Case(description: "accepted", status: 202, body: "", errorClass: nil),
        Case(description: "throttled", status: 429, body: "slow down", errorClass: .throttled, retryAfter: 7000),
        Case(description: "request timeout", status: 408, body: "", errorClass: .timeout),
        Case(description: "server error", status: 500, body: "boom", errorClass: .serverError, retryAfter: 7000),
        Case(description: "bad request", status: 400, body: "bad", errorClass: .rejected),
        Case(description: "redirect", status: 302, body: "", errorClass: .rejected),
    ]

    @Test(arguments: generic)
    func genericHTTPAnswers(_ testCase: Case) {
        let result = HTTPResponseClassification.classify(
            status: testCase.status, headers: ["retry-after": "7"], body: Array(testCase.body.utf8), target: "webhook")
        check(result, testCase)
    }

    @Test(
        arguments: [
            ("3", 3000), (" 10 ", 10_000), ("0", 0), ("99999999999", 86_400_000),
            ("Wed, 21 Oct 2015 07:28:00 GMT", nil),
            ("-1", nil), ("1.5", nil), ("", nil),
        ] as [(String, Int64?)])
    func retryAfterIsReadInSeconds(_ header: String, _ expected: Int64?) {
        #expect(HTTPResponseClassification.retryAfterMilliseconds(header) == expected)
    }

    @Test func bodyTextInErrorsIsOneShortLine() {
        let body = Array(("line1\nline2\t" + String(repeating: "x", count: 500)).utf8)
        guard
            case .failed(let error, _) = HTTPResponseClassification.classify(
                status: 400, headers: [:], body: body, target: "webhook at h")
        else {
            Issue.record("expected a failure")
            return
        }
        #expect(error.message.hasPrefix("webhook at h answered 400: line1 line2 xxx"))
        #expect(error.message.count < 240)
        #expect(!error.message.contains("\n"))
    }

    private func check(_ result: DeliveryResult, _ testCase: Case) {
        switch result {
        case .delivered:
            #expect(testCase.errorClass == nil)
        case .failed(let error, let retryAfter):
            #expect(error.errorClass == testCase.errorClass, "\(error)")
            #expect(retryAfter == testCase.retryAfter)
        }
    }
}
