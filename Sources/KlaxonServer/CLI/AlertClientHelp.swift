// MARK: - Help of the alert client commands

extension HelpText {
    static func alertClientUsage(_ topic: HelpTopic) -> String {
        let usage =
            switch topic {
            case .alerts: "klaxon alerts [--filter MATCHER]... [--json] [--url URL]"
            case .ack: "klaxon ack FINGERPRINT|ALERTNAME [--by NAME] [--comment TEXT] [--expiry DURATION] [--url URL]"
            case .unack: "klaxon unack FINGERPRINT|ALERTNAME [--by NAME] [--url URL]"
            case .silence:
                """
                klaxon silence add MATCHER... [--duration D | --end TIME | --until-resolved FINGERPRINT]
                                      [--author NAME] [--comment TEXT]
                       klaxon silence ls [--expired] [--json]
                       klaxon silence expire ID...
                """
            default: "klaxon history [--severity P0..P3] [--alertname NAME] [--since TIME] [--limit N] ... [--json]"
            }
        return "usage: \(usage)\nRun 'klaxon \(topic.rawValue) --help' for details."
    }

    static let clientOptions = """
          --url URL     the running Klaxon; default $KLAXON_URL, else http://127.0.0.1:9477
          --json        print the API's JSON answer as received instead of a table
          -h, --help    print this help

        The token for write requests (api.token in klaxon.yml) is read from KLAXON_API_TOKEN.
        Exit status: 0 success, 1 the request failed or was refused, 2 command line not understood.
        """

    static let alertsHelp = """
        usage: klaxon alerts [--filter MATCHER]... [--json] [--url URL]

        Lists the alerts a running Klaxon routes as firing (GET /api/v1/alerts): fingerprint,
        state (firing, acked, silenced or inhibited), severity, alert name, since when, labels.

        options:
          --filter MATCHER  only alerts matching it, e.g. --filter 'alertname=ExchangeFrozen' or
                            --filter 'venue=~"binance|okx"'; may repeat (all must match)
        \(clientOptions)
        """

    static let ackHelp = """
        usage: klaxon ack FINGERPRINT|ALERTNAME [--by NAME] [--comment TEXT] [--expiry DURATION]
               klaxon unack FINGERPRINT|ALERTNAME [--by NAME]

        ack: an acknowledged alert stops paging and escalating until it resolves, or until
        --expiry (a duration up to 1w, e.g. 30m) has passed. unack takes the ack back and the
        alert pages again. FINGERPRINT is the 16 hex digits 'klaxon alerts' shows; an ALERTNAME
        acts on every firing alert of that name.

        options:
          --by NAME         who owns the alert; default $USER
          --comment TEXT    why (ack only), kept in the audit trail
          --expiry DURATION when the ack lapses (ack only); default when the alert resolves
        \(clientOptions)
        """

    static let silenceHelp = """
        usage: klaxon silence add MATCHER... [--duration D | --end TIME | --until-resolved FINGERPRINT]
                                  [--author NAME] [--comment TEXT]
               klaxon silence ls [--expired]
               klaxon silence expire ID...

        add: alerts matching every MATCHER (amtool's syntax: alertname=X, venue=~"a|b", job!=batch)
        are not notified until the silence ends: after --duration (default 1h), at --end (RFC 3339,
        e.g. 2026-01-01T18:00:00Z), or when the alert --until-resolved names resolves (then
        MATCHERs may be left out: the silence mutes exactly that alert). Prints the silence id.
        ls: pending and active silences (--expired adds expired ones).
        expire: ends silences now.

        options:
          --author NAME   who creates the silence; default $USER
          --comment TEXT  why, kept in the audit trail
          --expired       (ls) include expired silences
        \(clientOptions)
        """

    static let historyHelp = """
        usage: klaxon history [options]

        Prints the alert audit trail of a running Klaxon, newest first (GET /api/v1/alerts/history):
        fired, resolved, queued, sent, failed, suppressed, acked, unacked, escalated,
        silence_created and silence_expired records. When more records exist, the last line
        gives the --cursor for the next page.

        options:
          --severity P0..P3   --alertname NAME   --rule-id ID   --source NAME   --receiver NAME
          --fingerprint HEX   --kind KIND        --instance NAME
          --since TIME        from TIME (RFC 3339 or Unix seconds)
          --until TIME        before TIME
          --limit N           records per page, 1 to 1000; default 100
          --cursor N          continue after the previous page
        \(clientOptions)
        """
}
