import KlaxonRouting
import KlaxonRuntime

/// Forwards alerts to one or more Alertmanagers with `POST /api/v2/alerts`, as Prometheus does.
///
/// Every Alertmanager gets every alert (they cluster among themselves); the attempt is delivered when
/// at least one accepted them. Firing alerts carry `endsAt = now + validFor`, renewed on every send.
/// A rate-limit summary holds no alerts and is delivered without a request.
package struct AlertmanagerNotifier: Notifier {
    package let receiver: String
    private let urls: [String]
    private let validForMilliseconds: Int64
    private let timeoutMilliseconds: Int64
    private let transport: any HTTPTransport
    private let clock: any WallClock

    /// `urls` are Alertmanager base URLs (`http://am:9093`); `validForMilliseconds` defaults to
    /// Prometheus's four resend intervals of a minute.
    package init(
        receiver: String, urls: [String], validForMilliseconds: Int64 = 240_000, timeoutMilliseconds: Int64 = 10_000,
        transport: any HTTPTransport, clock: any WallClock = SystemWallClock()
    ) {
        self.receiver = receiver
        self.urls = urls
        self.validForMilliseconds = validForMilliseconds
        self.timeoutMilliseconds = timeoutMilliseconds
        self.transport = transport
        self.clock = clock
    }

    package func send(_ notification: Notification, attempt: Int) async -> DeliveryResult {
        guard !notification.alerts.isEmpty else { return .delivered }
        guard !urls.isEmpty else {
            return .failed(
                DeliveryError(.configuration, "receiver \(receiver) names no Alertmanager url"), retryAfter: nil)
        }
        let body = Array(
            AlertmanagerPayload.json(
                notification.alerts, now: clock.nowMilliseconds(), validForMilliseconds: validForMilliseconds
            ).utf8)
        var failures: [(DeliveryError, Int64?)] = []
        for base in urls {
            let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
            let target = "Alertmanager at \(URLHost.of(trimmed, or: "a configured url"))"
            let request = HTTPTransportRequest(
                url: trimmed + "/api/v2/alerts",
                headers: [
                    HTTPTransportHeader("Content-Type", "application/json"),
                    HTTPTransportHeader("Idempotency-Key", notification.id),
                ],
                body: body, timeoutMilliseconds: timeoutMilliseconds, target: target)
            let result: DeliveryResult
            switch await transport.send(request) {
            case .success(let response):
                result = HTTPResponseClassification.classify(
                    status: response.status, headers: response.headers, body: response.body, target: target)
            case .failure(let error):
                result = .failed(error, retryAfter: nil)
            }
            if case .failed(let error, let retryAfter) = result { failures.append((error, retryAfter)) }
        }
        guard failures.count == urls.count else { return .delivered }
        // Every Alertmanager failed: retry when any failure is worth retrying.
        let chosen = failures.first { $0.0.isRetryable } ?? failures[0]
        var error = chosen.0
        if failures.count > 1 {
            error.message = failures.map(\.0.message).joined(separator: "; ")
        }
        return .failed(error, retryAfter: chosen.1)
    }
}
