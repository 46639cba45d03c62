import KlaxonRouting
import KlaxonRuntime

/// Sends notifications to a Telegram chat with the Bot API's `sendMessage`, in HTML parse mode.
///
/// A message longer than Telegram's limit goes as numbered parts, in order; a failed part fails
/// the attempt (the retry sends every part again: at least once, never lost). Part 1 carries
/// `Idempotency-Key: <notification id>`, part k > 1 `<notification id>-k`.
package struct TelegramNotifier: Notifier {
    package let receiver: String
    private let botToken: String
    private let chatID: String
    private let apiURL: String
    private let timeoutMilliseconds: Int64
    private let transport: any HTTPTransport
    private let renderer: any MessageRendering
    private let clock: any WallClock
    private let splitter: TelegramMessageSplitter

    /// `apiURL` is the Bot API base (`https://api.telegram.org`), without a trailing `/bot…`.
    package init(
        receiver: String, botToken: String, chatID: String, apiURL: String = "https://api.telegram.org",
        timeoutMilliseconds: Int64 = 10_000, transport: any HTTPTransport,
        renderer: any MessageRendering = DefaultMessages(),
        clock: any WallClock = SystemWallClock(), splitter: TelegramMessageSplitter = TelegramMessageSplitter()
    ) {
        self.receiver = receiver
        self.botToken = botToken
        self.chatID = chatID
        self.apiURL = apiURL.hasSuffix("/") ? String(apiURL.dropLast()) : apiURL
        self.timeoutMilliseconds = timeoutMilliseconds
        self.transport = transport
        self.renderer = renderer
        self.clock = clock
        self.splitter = splitter
    }

    /// What errors call the API: its host, never the URL (the URL holds the bot token).
    private var target: String { "Telegram API at \(URLHost.of(apiURL, or: "the configured api_url"))" }

    package func send(_ notification: Notification, attempt: Int) async -> DeliveryResult {
        guard !botToken.isEmpty, !chatID.isEmpty else {
            return .failed(
                DeliveryError(.configuration, "receiver \(receiver) has no Telegram bot_token or chat_id"),
                retryAfter: nil)
        }
        let html = TelegramHTML.render(renderer.message(for: notification, now: clock.nowMilliseconds()))
        let parts = splitter.split(html)
        for (index, part) in parts.enumerated() {
            let request = HTTPTransportRequest(
                url: "\(apiURL)/bot\(botToken)/sendMessage",
                headers: [
                    HTTPTransportHeader("Content-Type", "application/json"),
                    HTTPTransportHeader(
                        "Idempotency-Key", index == 0 ? notification.id : "\(notification.id)-\(index + 1)"),
                ],
                body: Array(Self.body(chatID: chatID, html: part).utf8), timeoutMilliseconds: timeoutMilliseconds,
                target: target)
            let result: DeliveryResult
            switch await transport.send(request) {
            case .success(let response):
                result = TelegramResponse.classify(status: response.status, body: response.body)
            case .failure(let error): result = .failed(error, retryAfter: nil)
            }
            guard case .failed(var error, let retryAfter) = result else { continue }
            if parts.count > 1 { error.message = "part \(index + 1) of \(parts.count): " + error.message }
            error.message = error.message.replacing(botToken, with: "<bot_token>")
            return .failed(error, retryAfter: retryAfter)
        }
        return .delivered
    }

    /// The `sendMessage` JSON body.
    package static func body(chatID: String, html: String) -> String {
        "{\"chat_id\":\(JSONString.quoted(chatID)),\"text\":\(JSONString.quoted(html)),"
            + "\"parse_mode\":\"HTML\",\"disable_web_page_preview\":true}"
    }
}
