/// The help and usage texts `klaxon` prints. They describe what this build really does.
package enum HelpText {
    /// The full help for `topic`, printed on standard output for `--help`.
    package static func help(for topic: HelpTopic) -> String {
        switch topic {
        case .general: general
        case .serve: serve
        case .demo: demo
        case .check: check
        case .test: ruleTestHelp
        case .alerts: alertsHelp
        case .ack, .unack: ackHelp
        case .silence: silenceHelp
        case .history: historyHelp
        case .version: version
        }
    }

    /// The usage lines for `topic`, printed on standard error after a command-line error.
    package static func usage(for topic: HelpTopic) -> String {
        switch topic {
        case .general:
            """
            usage: klaxon <command> [options]
                   commands: serve, demo, check config FILE, check rules FILE..., test rules FILE..., alerts, ack, unack,
                             silence add|ls|expire, history, version, help [COMMAND]
            Run 'klaxon help' for details.
            """
        case .serve:
            """
            usage: klaxon serve [--config FILE] [--listen HOST:PORT] [--data DIR] [--env prod|staging|dev]
                                [--log-format logfmt|json] [--log-level debug|info|warning|error]
                                [--web.external-url URL]
            Run 'klaxon serve --help' for details.
            """
        case .demo:
            """
            usage: klaxon demo [--incident NAME] [--every DURATION] [--rules DIR] [serve options]
            Run 'klaxon demo --help' for details.
            """
        case .check:
            """
            usage: klaxon check config FILE
                   klaxon check rules FILE...
            Run 'klaxon check --help' for details.
            """
        case .test:
            ruleTestUsage
        case .alerts, .ack, .unack, .silence, .history:
            alertClientUsage(topic)
        case .version:
            "usage: klaxon version"
        }
    }

    private static let general = """
        klaxon: a Prometheus-compatible metrics exporter and alert evaluator for trading engines.

        usage: klaxon <command> [options]

        commands:
          serve               run Klaxon until SIGTERM or SIGINT (SIGHUP asks for a reload)
          demo                serve with a synthetic trading engine, the shipped rules and
                              incidents injected every few minutes; notifications print here
          check config FILE   validate a configuration file and exit
          check rules FILE... check Prometheus rule files (with Klaxon's severity policy) and exit
          test rules FILE...  run promtool-format rule unit tests and exit
          alerts              list the firing alerts of a running Klaxon
          ack TARGET          acknowledge a firing alert (fingerprint or alert name); unack takes it back
          silence add|ls|expire  create, list or end silences
          history             page through the alert audit trail
          version             print the version and the Swift compiler it was built with
          help [COMMAND]      print this help, or the help of COMMAND

        Every command accepts --help (or -h).
        Exit status: 0 success, 1 failure while running, 2 command line not understood.
        """

    private static let demo = """
        usage: klaxon demo [options]

        Runs serve with a built-in synthetic trading engine that pushes every KPI of
        docs/kpi-catalogue.md each second through the Pushgateway API (three exchanges, noise,
        a daily cycle, counters that only grow), the shipped rule pack (alert-rules/) loaded,
        and a console receiver that prints every notification on standard output. Every few
        minutes one incident of SCENARIOS.md starts (in turn: exchange FROZEN, Redis lost, loop
        latency, global risk block, ...), lasts long enough to fire, then clears.
        POST /api/v1/demo/incidents/NAME injects one at once; GET /api/v1/demo/incidents lists them.
        Without --data or --config, state goes to a fresh temporary directory.

        options (and every option of 'klaxon serve'):
          --incident NAME           inject this incident as soon as the demo starts; e.g.
                                    exchange-frozen (an unknown name prints them all)
          --every DURATION          start a new incident this often; default 5m, at least 10s
          --rules DIR               the rule pack; default alert-rules/ in the working directory,
                                    beside the source tree of the binary, or /etc/alert-rules
        """

    private static let serve = """
        usage: klaxon serve [options]

        Runs Klaxon in the foreground and logs to standard error. SIGTERM or SIGINT stop it
        gracefully (exit status 0); SIGHUP asks for a reload of configuration and rules. A stop
        that takes longer than 30 s, or a second SIGTERM/SIGINT while stopping, logs the parts
        still running and exits with status 1.

        Serves /metrics, the Pushgateway push API (/metrics/job/...), POST /api/v1/push (JSON),
        /api/v1/query, /-/healthy, /-/ready and /-/reload, and scrapes the configured targets.
        A configuration that cannot be used, or an address already in use, is reported on one
        line per problem and exits with status 1.

        options:
          --config FILE             configuration file (klaxon.yml); default: built-in defaults
          --listen HOST:PORT        address to listen on; default 127.0.0.1:9477.
                                    ':PORT' means all interfaces; IPv6 as [::1]:9477
          --data DIR                directory for Klaxon's state (the SQLite file klaxon.db
                                    when store.url is not set); default ./data
          --env prod|staging|dev    deployment environment, which selects the routing policy.
                                    Precedence: --env, then KLAXON_ENV, then APP_ENV, then the
                                    config file; default dev
          --log-format logfmt|json  log line format; default logfmt
          --log-level LEVEL         debug, info, warning (or warn) or error; default info
          --web.external-url URL    how people reach this Klaxon, for links in messages,
                                    $externalURL in templates and generator URLs;
                                    default http://<hostname>:<port>
          -h, --help                print this help

        Options take their value as '--listen 127.0.0.1:9477' or '--listen=127.0.0.1:9477'.
        Options override the same settings in the configuration file, and keep doing so
        after a reload (SIGHUP or POST /-/reload).
        """

    private static let check = """
        usage: klaxon check config FILE
               klaxon check rules FILE...

        check rules: \(ruleCheckHelp)

        check config: validates FILE as 'klaxon serve --config FILE' would load it. Prints OK and
        exits 0 when it is valid; otherwise prints every problem as FILE:LINE:COLUMN: message and
        exits 1.

        options:
          -h, --help   print this help
        """

    private static let version = """
        usage: klaxon version

        Prints Klaxon's version, the Swift compiler it was built with, and the platform.

        options:
          -h, --help   print this help
        """
}
