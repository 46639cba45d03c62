/// One `receivers:` entry of `klaxon.yml`: where a notifier sends, how long it waits, and who gets
/// the notification when it gives up.
///
/// Secrets (bot tokens, webhook URLs) are kept here as given and never quoted in an error. The
/// receiver named `log` always exists (the log notifier) and cannot be configured.
package struct ReceiverConfiguration: Sendable, Equatable {
    /// The channel, with exactly one kind per receiver.
    package enum Kind: Sendable, Equatable {
        case telegram(TelegramReceiver)
        case slack(webhookURL: String)
        case webhook(url: String, maxAlerts: Int)
        case alertmanager(urls: [String])
        case email(EmailReceiver)

        /// The key naming the kind in the file.
        package var key: String {
            switch self {
            case .telegram: "telegram"
            case .slack: "slack"
            case .webhook: "webhook"
            case .alertmanager: "alertmanager"
            case .email: "email"
            }
        }
    }

    /// `telegram:` settings.
    package struct TelegramReceiver: Sendable, Equatable {
        /// `bot_token`, else `TELEGRAM_BOT_TOKEN`.
        package var botToken: String
        /// `chat_id` (a number, or `@channel`), else `TELEGRAM_CHAT_ID`.
        package var chatID: String
        /// `api_url` (default https://api.telegram.org).
        package var apiURL: String

        package init(botToken: String, chatID: String, apiURL: String = TelegramReceiver.defaultAPIURL) {
            self.botToken = botToken
            self.chatID = chatID
            self.apiURL = apiURL
        }

        /// Telegram's Bot API.
        package static let defaultAPIURL = "https://api.telegram.org"
    }

    /// The name receivers are known by in routing and fallbacks.
    package static let reservedLogName = "log"

    /// `name`: unique, not `log`.
    package var name: String
    package var kind: Kind
    /// `timeout` (default 10s) for one delivery attempt.
    package var timeoutMilliseconds: Int64 = 10_000
    /// `fallback`: receivers that get a notification this one gave up on (default: the log).
    package var fallback: [String] = []
    /// `max_delivery_age` (default 24h): retries stop this long after the notification was created.
    package var maxDeliveryAgeMilliseconds: Int64 = 86_400_000
    /// `failing_after_failures` (default 3): consecutive failures that make the receiver failing.
    package var failingAfterFailures = 3
    /// `failing_after` (default 1m): failures for this long also make it failing.
    package var failingAfterMilliseconds: Int64 = 60_000
    /// `message`: a Go template replacing the built-in message text (Telegram, Slack); nil keeps it.
    package var message: String?

    package init(name: String, kind: Kind) {
        self.name = name
        self.kind = kind
    }
}
