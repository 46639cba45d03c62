import KlaxonRouting
import KlaxonRuntime

/// Posts notifications to a Slack incoming webhook as Block Kit sections.
package struct SlackNotifier: Notifier {
    package let receiver: String
    private let webhookURL: String
    private let timeoutMilliseconds: Int64
    private let transport: any HTTPTransport
    private let renderer: any MessageRendering
    private let clock: any WallClock

    package init(
        receiver: String, webhookURL: String, timeoutMilliseconds: Int64 = 10_000, transport: any HTTPTransport,
        renderer: any MessageRendering = DefaultMessages(), clock: any WallClock = SystemWallClock()
    ) {
        self.receiver = receiver
        self.webhookURL = webhookURL
        self.timeoutMilliseconds = timeoutMilliseconds
        self.transport = transport
        self.renderer = renderer
        self.clock = clock
    }

    package func send(_ notification: Notification, attempt: Int) async -> DeliveryResult {
        let payload = SlackBlocks.payload(renderer.message(for: notification, now: clock.nowMilliseconds()))
        // The webhook URL's path is the secret; the host is not.
        let target = "Slack webhook at \(URLHost.of(webhookURL, or: "the configured webhook_url"))"
        let request = HTTPTransportRequest(
            url: webhookURL,
            headers: [
                HTTPTransportHeader("Content-Type", "application/json"),
                HTTPTransportHeader("Idempotency-Key", notification.id),
            ],
            body: Array(payload.utf8), timeoutMilliseconds: timeoutMilliseconds, target: target)
        switch await transport.send(request) {
        case .success(let response):
            return SlackResponse.classify(
                status: response.status, retryAfter: response.headers["retry-after"], body: response.body)
        case .failure(let error):
            return .failed(error, retryAfter: nil)
        }
    }
}
