import KlaxonConfig
import Testing

@Suite struct ReceiverConfigurationTests {
    private func parse(_ text: String, environment: [String: String] = [:]) throws(ConfigErrors) -> KlaxonConfiguration
    {
        try KlaxonConfigurationLoader.parse(text: text, file: "klaxon.yml", environment: environment)
    }

    private func errors(_ text: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try parse(text, environment: environment)
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func everyKindDecodesWithItsDefaults() throws {
        let config = try parse(
            """
            receivers:
              - name: oncall
                telegram:
                  bot_token: "123:abc"
                  chat_id: -1001234
                timeout: 5s
                fallback: [team]
                max_delivery_age: 2h
                failing_after_failures: 5
                failing_after: 30s
              - name: team
                slack:
                  webhook_url: https://hooks.slack.com/services/T/B/X
              - name: hook
                webhook:
                  url: http://127.0.0.1:9000/alerts
                  max_alerts: 10
              - name: am
                alertmanager:
                  urls: [http://am1:9093, "http://am2:9093"]
            """)
        #expect(config.receivers.map(\.name) == ["oncall", "team", "hook", "am"])
        var oncall = ReceiverConfiguration(
            name: "oncall", kind: .telegram(.init(botToken: "123:abc", chatID: "-1001234")))
        oncall.timeoutMilliseconds = 5000
        oncall.fallback = ["team"]
        oncall.maxDeliveryAgeMilliseconds = 7_200_000
        oncall.failingAfterFailures = 5
        oncall.failingAfterMilliseconds = 30_000
        #expect(config.receivers[0] == oncall)
        #expect(
            config.receivers[1]
                == ReceiverConfiguration(
                    name: "team", kind: .slack(webhookURL: "https://hooks.slack.com/services/T/B/X")))
        #expect(config.receivers[1].timeoutMilliseconds == 10_000)
        #expect(config.receivers[1].maxDeliveryAgeMilliseconds == 86_400_000)
        #expect(config.receivers[1].failingAfterFailures == 3)
        #expect(config.receivers[1].failingAfterMilliseconds == 60_000)
        #expect(config.receivers[2].kind == .webhook(url: "http://127.0.0.1:9000/alerts", maxAlerts: 10))
        #expect(config.receivers[3].kind == .alertmanager(urls: ["http://am1:9093", "http://am2:9093"]))
    }

    @Test func telegramTokenAndChatComeFromTheEnvironmentWhenNotSet() throws {
        let config = try parse(
            "receivers:\n  - name: tg\n    telegram: {api_url: \"http://127.0.0.1:8081\"}\n",
            environment: ["TELEGRAM_BOT_TOKEN": "9:xyz", "TELEGRAM_CHAT_ID": "@alerts"])
        #expect(
            config.receivers.first?.kind
                == .telegram(.init(botToken: "9:xyz", chatID: "@alerts", apiURL: "http://127.0.0.1:8081")))
    }

    @Test(arguments: [
        (
            "receivers:\n  - name: tg\n    telegram: {chat_id: 1}\n",
            "klaxon.yml:3:15: receivers[0].telegram.bot_token: missing; "
                + "set it here or in the environment variable TELEGRAM_BOT_TOKEN"
        ),
        (
            "receivers:\n  - name: tg\n    telegram: {bot_token: t, chat_id: \"chat one\"}\n",
            "klaxon.yml:3:30: receivers[0].telegram.chat_id: \"chat one\" is not a chat id; "
                + "allowed: a number such as -1001234567890, or @channelname"
        ),
        (
            "receivers:\n  - name: x\n    slack: {webhook_url: https://h/s}\n    webhook: {url: https://h/w}\n",
            "klaxon.yml:4:5: receivers[0].webhook: receiver \"x\" sets slack and webhook; "
                + "a receiver has exactly one kind"
        ),
        (
            "receivers:\n  - name: x\n",
            "klaxon.yml:2:5: receivers[0]: receiver \"x\" needs one of: telegram, slack, webhook, alertmanager, email"
        ),
        (
            "receivers:\n  - name: log\n    webhook: {url: https://h/w}\n",
            "klaxon.yml:2:5: receivers[0].name: \"log\" is the built-in log receiver; choose another name"
        ),
        (
            "receivers:\n  - name: s\n    slack: {webhook_url: \"hooks.slack.com/secret\"}\n",
            "klaxon.yml:3:26: receivers[0].slack.webhook_url: the value is not a URL; "
                + "allowed: http://host[:port]/path or https://host[:port]/path"
        ),
        (
            "receivers:\n  - name: a\n    alertmanager: {urls: []}\n",
            "klaxon.yml:3:20: receivers[0].alertmanager.urls: must name at least one Alertmanager (http://host:9093)"
        ),
        (
            "receivers:\n  - name: a\n    webhook: {url: https://h/w}\n    fallback: [nobody]\n",
            "klaxon.yml:4:5: receivers[0].fallback: \"nobody\" is not a configured receiver; allowed: log"
        ),
        (
            "receivers:\n  - name: a\n    webhook: {url: https://h/w}\n  - name: a\n    webhook: {url: https://h/v}\n",
            "klaxon.yml:4:5: receivers[1].name: duplicate receiver name \"a\" (first used at line 2); "
                + "names must be unique"
        ),
        (
            "receivers:\n  - name: a\n    webhook: {url: https://h/w}\n    timeout: 0s\n",
            "klaxon.yml:4:14: receivers[0].timeout: must be greater than 0s"
        ),
        (
            "receivers:\n  - name: a\n    webhook: {url: https://h/w, token: x}\n",
            "klaxon.yml:3:33: unknown key \"token\" in receivers[0].webhook; allowed: url, max_alerts"
        ),
    ])
    func problemsNameTheField(_ text: String, _ expected: String) {
        #expect(errors(text) == [expected])
    }

    @Test func emailDecodesWithItsDefaults() throws {
        let config = try parse(
            """
            receivers:
              - name: mail
                email:
                  smarthost: smtp.example.com:587
                  from: Klaxon <klaxon@example.com>
                  to: [oncall@example.com, "Ops <ops@example.com>"]
              - name: full
                email:
                  smarthost: "[::1]:465"
                  from: klaxon@example.com
                  to: "a@example.com, b@example.com"
                  hello: klaxon.example.com
                  auth_username: klaxon
                  auth_password: ${SMTP_PASSWORD}
                  require_tls: false
                  tls: {ca_file: /etc/klaxon/ca.pem, insecure_skip_verify: true}
                  html: false
                  digest_at: "08:30"
            """, environment: ["SMTP_PASSWORD": "hunter2"])
        var mail = EmailReceiver(
            smarthost: HostPort(host: "smtp.example.com", port: 587),
            from: EmailAddress(name: "Klaxon", address: "klaxon@example.com"),
            to: [EmailAddress(address: "oncall@example.com"), EmailAddress(name: "Ops", address: "ops@example.com")])
        #expect(config.receivers.first?.kind == .email(mail))
        #expect(mail.hello == "localhost" && mail.requireTLS && mail.html && !mail.insecureSkipVerify)
        #expect(mail.digestAtMinute == nil && mail.authUsername == nil && !mail.implicitTLS)
        mail = EmailReceiver(
            smarthost: HostPort(host: "::1", port: 465), from: EmailAddress(address: "klaxon@example.com"),
            to: [EmailAddress(address: "a@example.com"), EmailAddress(address: "b@example.com")])
        mail.hello = "klaxon.example.com"
        mail.authUsername = "klaxon"
        mail.authPassword = "hunter2"
        mail.requireTLS = false
        mail.caFile = "/etc/klaxon/ca.pem"
        mail.insecureSkipVerify = true
        mail.html = false
        mail.digestAtMinute = 510
        #expect(config.receivers.last?.kind == .email(mail))
        #expect(mail.implicitTLS)
    }

    @Test(arguments: [
        (
            "email: {smarthost: mx, from: a@example.com, to: [b@example.com]}",
            "klaxon.yml:3:24: receivers[0].email.smarthost: invalid address \"mx\": the port is missing; write host:port"
        ),
        (
            "email: {smarthost: \"mx:25\", from: nobody, to: [b@example.com]}",
            "klaxon.yml:3:39: receivers[0].email.from: \"nobody\" is not an email address: "
                + "an address needs an @, as in ops@example.com"
        ),
        (
            "email: {smarthost: \"mx:25\", from: a@example.com, to: [b@example.com, \"c@bad domain\"]}",
            "klaxon.yml:3:74: receivers[0].email.to[1]: \"c@bad domain\" is not an email address: "
                + "the domain after @ must be a host name such as example.com"
        ),
        (
            "email: {smarthost: \"mx:25\", from: a@example.com, to: []}",
            "klaxon.yml:3:58: receivers[0].email.to: must name at least one recipient, as in [oncall@example.com]"
        ),
        (
            "email: {smarthost: \"mx:25\", from: a@example.com, to: [b@example.com], auth_password: x}",
            "klaxon.yml:3:12: receivers[0].email.auth_username: missing; a password is set, so the user name is needed too"
        ),
        (
            "email: {smarthost: \"mx:25\", from: a@example.com, to: [b@example.com], digest_at: \"8:00\"}",
            "klaxon.yml:3:86: receivers[0].email.digest_at: must be a time of day in UTC as HH:MM, such as \"08:00\""
        ),
        (
            "email: {smarthost: \"mx:25\", from: a@example.com, to: [b@example.com], tls: {verify: no}}",
            "klaxon.yml:3:81: unknown key \"verify\" in receivers[0].email.tls; allowed: ca_file, insecure_skip_verify"
        ),
    ])
    func emailProblemsNameTheField(_ email: String, _ expected: String) {
        #expect(errors("receivers:\n  - name: m\n    \(email)\n") == [expected])
    }

    @Test func anEmailPasswordIsNeverQuoted() {
        let problems = errors(
            "receivers:\n  - name: m\n    email: {smarthost: \"mx:25\", from: a@example.com, to: [b@example.com], "
                + "auth_password: [SECRET]}\n")
        #expect(problems.count == 1)
        #expect(!problems.joined().contains("SECRET"))
    }

    @Test func aSecretURLIsNeverQuoted() {
        let problems = errors("receivers:\n  - name: s\n    slack: {webhook_url: \"not a url SECRET\"}\n")
        #expect(problems.count == 1)
        #expect(!problems.joined().contains("SECRET"))
    }

    @Test func aChatReceiverTakesAMessageTemplateCheckedAtLoad() throws {
        let config = try parse(
            """
            receivers:
              - name: team
                slack: {webhook_url: "https://hooks.slack.com/services/T/B/X"}
                message: "{{ .Severity }} {{ .CommonLabels.alertname }}"
            """)
        #expect(config.receivers.first?.message == "{{ .Severity }} {{ .CommonLabels.alertname }}")
        let broken = errors(
            """
            receivers:
              - name: team
                slack: {webhook_url: "https://hooks.slack.com/services/T/B/X"}
                message: "{{ .Severity "
            """)
        #expect(broken.count == 1)
        #expect(
            broken.first?.hasPrefix("klaxon.yml:4:14: receivers[0].message: invalid template: ") == true, "\(broken)")
        let webhook = errors(
            """
            receivers:
              - name: hook
                webhook: {url: "http://127.0.0.1:9000/alerts"}
                message: "x"
            """)
        #expect(
            webhook == [
                "klaxon.yml:4:14: receivers[0].message: a webhook receiver sends Alertmanager's payload, not a message; "
                    + "remove \"message\""
            ])
    }
}
