import KlaxonMetrics
import KlaxonServer
import Testing

@Suite struct AlertingRequestParsingTests {
    private let now: Int64 = 1_767_225_600_000

    private func ackError(_ body: String) -> String? {
        do {
            _ = try AckRequest.parse(Array(body.utf8), now: now)
            return nil
        } catch {
            return error.message
        }
    }

    private func silenceError(_ body: String, dialect: SilenceRequest.Dialect = .klaxon) -> String? {
        do {
            _ = try SilenceRequest.parse(Array(body.utf8), now: now, dialect: dialect)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func ackReadsByCommentAndEitherExpiry() throws {
        let relative = try AckRequest.parse(Array(#"{"by":"alice","comment":"on it","expiry":"1h30m"}"#.utf8), now: now)
        #expect(relative == AckRequest(by: "alice", comment: "on it", expiresAt: now + 5_400_000))
        let absolute = try AckRequest.parse(
            Array(#"{"by":"bob","expiresAt":"2026-01-01T02:00:00+01:00"}"#.utf8), now: now)
        #expect(absolute.expiresAt == now + 3_600_000)
        #expect(try AckRequest.parse(Array(#"{"by":"carol"}"#.utf8), now: now).expiresAt == nil)
    }

    @Test(arguments: [
        ("", "ack: the request body is empty; send a JSON object"),
        ("[]", "ack: expected a JSON object, got an array"),
        (#"{"by":""}"#, "ack.by: missing; say who owns the alert, e.g. \"by\": \"alice\""),
        (#"{"by":7}"#, "ack.by: expected a string, got 7"),
        (
            #"{"by":"a","expiry":"soon"}"#,
            "ack.expiry: \"soon\" is not a duration; write a number and a unit (ms, s, m, h, d, w, y), largest first, e.g. 30s or 1h30m"
        ),
        (#"{"by":"a","expiry":"2w"}"#, "ack.expiry: 2w is longer than 1w; silence the alert instead"),
        (#"{"by":"a","expiry":"1h","expiresAt":"2026-01-01T01:00:00Z"}"#, "ack: give expiry or expiresAt, not both"),
        (
            #"{"by":"a","expiresAt":"2025-12-31T23:00:00Z"}"#,
            "ack.expiresAt: 2025-12-31T23:00:00.000Z is not in the future"
        ),
        (#"{"by":"a","by":"b"}"#, "ack.by: given more than once"),
        (#"{"by":"a","who":"b"}"#, "ack: unknown field \"who\"; allowed: by, comment, expiry, expiresAt"),
    ])
    func ackErrorsNameTheField(body: String, message: String) {
        #expect(ackError(body) == message)
    }

    @Test func ackBodyOverTheLimitIsRefused() {
        let body = #"{"by":"a","comment":""# + String(repeating: "x", count: AckRequest.maxBodyBytes) + #""}"#
        #expect(ackError(body)?.hasPrefix("ack: the request body is \(body.utf8.count) bytes; the limit is") == true)
    }

    @Test func silenceReadsAlertmanagerShape() throws {
        let body = #"""
            {"matchers":[{"name":"alertname","value":"X","isRegex":false,"isEqual":true},
                         {"name":"venue","value":"a|b","isRegex":true,"isEqual":false},
                         {"name":"env","value":"dev","isRegex":false,"isEqual":false}],
             "startsAt":"2026-01-01T01:00:00.000Z","endsAt":"2026-01-01T03:00:00.000Z",
             "createdBy":"amtool","comment":"c","id":"","status":{"state":"active"}}
            """#
        let request = try SilenceRequest.parse(Array(body.utf8), now: now, dialect: .alertmanager)
        #expect(request.matchers.map(\.text) == [#"alertname="X""#, #"venue!~"a|b""#, #"env!="dev""#])
        #expect(request.startsAt == now + 3_600_000)
        #expect(request.endsAt == now + 10_800_000)
        #expect(request.createdBy == "amtool" && request.comment == "c" && request.id == nil)
    }

    @Test func silenceStartInThePastStartsNow() throws {
        let body = #"{"matchers":["a=\"b\""],"createdBy":"x","startsAt":"2020-01-01T00:00:00Z","duration":"1h"}"#
        let request = try SilenceRequest.parse(Array(body.utf8), now: now, dialect: .klaxon)
        #expect(request.startsAt == now && request.endsAt == now + 3_600_000)
    }

    @Test(arguments: [
        (
            #"{"createdBy":"x","duration":"1h"}"#,
            "silence.matchers: missing; give at least one matcher, e.g. \"alertname=\\\"X\\\"\""
        ),
        (
            #"{"matchers":["a=\"b\"",{"name":"1x","value":"v"}],"createdBy":"x","duration":"1h"}"#,
            "silence.matchers[1].name: \"1x\" is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)"
        ),
        (
            #"{"matchers":[{"name":"a","value":"(","isRegex":true}],"createdBy":"x","duration":"1h"}"#,
            "silence.matchers[0].value: invalid regular expression \"(\" for label a: "
                + "error parsing regexp: missing closing ): `^(?:()$`"
        ),
        (
            #"{"matchers":[{"name":"a","value":"v","isRegex":"yes"}],"createdBy":"x","duration":"1h"}"#,
            "silence.matchers[0].isRegex: expected true or false, got \"yes\""
        ),
        (#"{"matchers":[{"name":"a"}],"createdBy":"x","duration":"1h"}"#, "silence.matchers[0].value: missing"),
        (
            #"{"matchers":[3],"createdBy":"x","duration":"1h"}"#,
            "silence.matchers[0]: expected a matcher object or text like \"job=\\\"engine\\\"\", got a number"
        ),
        (
            #"{"matchers":["a=~\".*\""],"createdBy":"x","duration":"1h"}"#,
            "silence.matchers: every matcher matches an empty label, so the silence would mute every alert; add one that needs a value, e.g. alertname=\"X\""
        ),
        (
            #"{"matchers":["a=\"b\""],"duration":"1h"}"#,
            "silence.createdBy: missing; say who creates the silence, e.g. \"createdBy\": \"alice\""
        ),
        (
            #"{"matchers":["a=\"b\""],"createdBy":"x"}"#,
            "silence.endsAt: missing; give endsAt (RFC 3339), duration (e.g. 2h) or untilResolved"
        ),
        (
            #"{"matchers":["a=\"b\""],"createdBy":"x","endsAt":"tomorrow"}"#,
            "silence.endsAt: \"tomorrow\" is not an RFC 3339 time; write e.g. 2026-01-01T09:30:00Z or 2026-01-01T09:30:00.000+02:00"
        ),
        (
            #"{"matchers":["a=\"b\""],"createdBy":"x","endsAt":"2025-01-01T00:00:00Z"}"#,
            "silence.endsAt: 2025-01-01T00:00:00.000Z is not after startsAt 2026-01-01T00:00:00.000Z"
        ),
        (#"{"matchers":["a=\"b\""],"createdBy":"x","duration":"2y"}"#, "silence.duration: 2y is longer than 366d"),
        (
            #"{"matchers":["a=\"b\""],"createdBy":"x","duration":"1h","endsAt":"2026-01-01T05:00:00Z"}"#,
            "silence: give endsAt or duration, not both"
        ),
        (
            #"{"untilResolved":"nothex","createdBy":"x"}"#,
            "silence.untilResolved: \"nothex\" is not an alert fingerprint (16 hex digits)"
        ),
        (
            #"{"id":"a/b","matchers":["a=\"b\""],"createdBy":"x","duration":"1h"}"#,
            "silence.id: \"a/b\" is not a silence id (letters, digits and -)"
        ),
        (
            #"{"matchers":["a=\"b\""],"createdBy":"x","duration":"1h","extra":1}"#,
            "silence: unknown field \"extra\"; allowed: id, matchers, startsAt, endsAt, createdBy, comment, duration, untilResolved"
        ),
        (
            "{\"matchers\":",
            "silence: invalid JSON at line 1, column 13: expected a value, found the end of the document"
        ),
    ])
    func silenceErrorsNameTheField(body: String, message: String) {
        #expect(silenceError(body) == message)
    }

    @Test func alertmanagerDialectSkipsUnknownFieldsButNotKlaxonExtensionsMeaning() {
        #expect(
            silenceError(#"{"matchers":["a=\"b\""],"createdBy":"x","duration":"1h"}"#, dialect: .alertmanager)
                == "silence.endsAt: missing; give endsAt")
    }

    @Test func untilResolvedNeedsNoEndOrMatchers() throws {
        let request = try SilenceRequest.parse(
            Array(#"{"untilResolved":"00000000000000ab","createdBy":"x"}"#.utf8), now: now, dialect: .klaxon)
        #expect(request.untilResolved == Fingerprint(rawValue: 0xab))
        #expect(request.matchers.isEmpty && request.endsAt == nil)
        #expect(request.silence(id: "s", now: now).endsAt == Int64.max)
    }
}
