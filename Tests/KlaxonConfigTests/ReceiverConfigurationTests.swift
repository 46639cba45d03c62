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
            "klaxon.yml:2:5: receivers[0]: receiver \"x\" needs one of: telegram, slack, webhook, alertmanager"
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
