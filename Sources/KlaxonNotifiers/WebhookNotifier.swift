import KlaxonRouting

/// Posts Alertmanager's webhook payload (version 4) to a URL, as Alertmanager's `webhook_config` does.
package struct WebhookNotifier: Notifier {
    package let receiver: String
    private let url: String
    private let maxAlerts: Int
    private let timeoutMilliseconds: Int64
    private let transport: any HTTPTransport

    /// `maxAlerts` (0 for all) limits the alerts per payload; the rest are counted in `truncatedAlerts`.
    package init(
        receiver: String, url: String, maxAlerts: Int = 0, timeoutMilliseconds: Int64 = 10_000,
        transport: any HTTPTransport
    ) {
        self.receiver = receiver
        self.url = url
        self.maxAlerts = maxAlerts
        self.timeoutMilliseconds = timeoutMilliseconds
        self.transport = transport
    }

    package func send(_ notification: Notification, attempt: Int) async -> DeliveryResult {
        // A webhook URL may carry a token in its path or query: errors name the host only.
        let target = "webhook at \(URLHost.of(url, or: "the configured url"))"
        let request = HTTPTransportRequest(
            url: url,
            headers: [
                HTTPTransportHeader("Content-Type", "application/json"),
                HTTPTransportHeader("Idempotency-Key", notification.id),
            ],
            body: Array(WebhookPayload.json(notification, maxAlerts: maxAlerts).utf8),
            timeoutMilliseconds: timeoutMilliseconds, target: target)
        switch await transport.send(request) {
        case .success(let response):
            return HTTPResponseClassification.classify(
                status: response.status, headers: response.headers, body: response.body, target: target)
        case .failure(let error):
            return .failed(error, retryAfter: nil)
        }
    }
}
