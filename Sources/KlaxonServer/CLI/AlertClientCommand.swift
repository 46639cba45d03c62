/// `klaxon alerts`, `ack`, `unack`, `silence add|ls|expire` and `history`: requests to a running
/// Klaxon's alerting API, parsed but not yet sent.
package struct AlertClientCommand: Equatable, Sendable {
    /// What to ask the running Klaxon.
    package enum Action: Equatable, Sendable {
        /// `klaxon alerts [--filter MATCHER]…`
        case alerts(filters: [String])
        /// `klaxon ack FINGERPRINT|ALERTNAME [--by NAME] [--comment TEXT] [--expiry DURATION]`
        case ack(target: String, by: String?, comment: String, expiry: String?)
        /// `klaxon unack FINGERPRINT|ALERTNAME [--by NAME]`
        case unack(target: String, by: String?)
        /// `klaxon silence add MATCHER… [--duration D | --end TIME | --until-resolved FINGERPRINT] …`
        case silenceAdd(SilenceAddOptions)
        /// `klaxon silence ls [--expired]`
        case silenceList(includeExpired: Bool)
        /// `klaxon silence expire ID…`
        case silenceExpire(ids: [String])
        /// `klaxon history [filters…]`: the query parameters of `/api/v1/alerts/history`, in order.
        case history(parameters: [QueryParameter])
    }

    package var action: Action
    /// `--url`: the running Klaxon; nil for `KLAXON_URL` or http://127.0.0.1:9477.
    package var url: String?
    /// `--json`: print the API's JSON as received instead of a table.
    package var json: Bool

    package init(_ action: Action, url: String? = nil, json: Bool = false) {
        self.action = action
        self.url = url
        self.json = json
    }

    /// Where the CLI talks to when neither `--url` nor `KLAXON_URL` says.
    package static let defaultURL = "http://127.0.0.1:9477"
}

/// Options of `klaxon silence add`.
package struct SilenceAddOptions: Equatable, Sendable {
    /// Matcher text as amtool takes it: `alertname=X`, `venue=~"a|b"`.
    package var matchers: [String]
    /// `--duration` (default 1h when no end is given).
    package var duration: String?
    /// `--end` RFC 3339.
    package var end: String?
    /// `--until-resolved FINGERPRINT`.
    package var untilResolved: String?
    /// `--author`/`--by`; nil for `$USER`.
    package var author: String?
    package var comment: String

    package init(
        matchers: [String], duration: String? = nil, end: String? = nil, untilResolved: String? = nil,
        author: String? = nil, comment: String = ""
    ) {
        self.matchers = matchers
        self.duration = duration
        self.end = end
        self.untilResolved = untilResolved
        self.author = author
        self.comment = comment
    }
}

/// One `name=value` of a request's query string, before encoding.
package struct QueryParameter: Equatable, Sendable {
    package var name: String
    package var value: String

    package init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}
