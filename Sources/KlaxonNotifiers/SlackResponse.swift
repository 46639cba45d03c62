import KlaxonRouting

/// Slack incoming-webhook answers as `DeliveryResult`s. Pure over the bytes received (it is fuzzed).
///
/// Slack answers 200 `ok`; 429 with `Retry-After`; 400 `invalid_payload` and friends (rejected);
/// 403 `invalid_token` / `action_prohibited`, 404 `no_service`, 410 `channel_is_archived`
/// (the webhook is wrong or gone: configuration); 5xx (retried).
package enum SlackResponse {
    package static func classify(status: Int, retryAfter: String?, body: [UInt8]) -> DeliveryResult {
        let detail = HTTPResponseClassification.detail(body)
        switch status {
        case 200...299:
            return .delivered
        case 429:
            return .failed(
                DeliveryError(.throttled, "Slack answered 429" + detail),
                retryAfter: HTTPResponseClassification.retryAfterMilliseconds(retryAfter))
        case 500...599:
            return .failed(
                DeliveryError(.serverError, "Slack answered \(status)" + detail),
                retryAfter: HTTPResponseClassification.retryAfterMilliseconds(retryAfter))
        case 403, 404, 410:
            return .failed(
                DeliveryError(.configuration, "Slack answered \(status)" + detail + " (check webhook_url)"),
                retryAfter: nil)
        default:
            return .failed(DeliveryError(.rejected, "Slack answered \(status)" + detail), retryAfter: nil)
        }
    }
}
