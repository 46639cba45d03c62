/// Delivers notifications to one receiver (a Telegram chat, a Slack webhook, an SMTP relay…).
///
/// A notifier makes one attempt per call and classifies the outcome; retries, backoff, fallback
/// and the audit trail belong to the caller.
package protocol Notifier: Sendable {
    /// The receiver name from the configuration.
    var receiver: String { get }

    /// One delivery attempt; `attempt` counts from 1. Never throws: every failure is classified.
    func send(_ notification: Notification, attempt: Int) async -> DeliveryResult
}

/// What one delivery attempt came to.
package enum DeliveryResult: Sendable, Equatable {
    /// The receiver accepted it (2xx, SMTP 250…).
    case delivered
    /// It failed; `retryAfter` (milliseconds) is the receiver's own wish (Retry-After,
    /// Telegram's `parameters.retry_after`) when it said one.
    case failed(DeliveryError, retryAfter: Int64?)
}

/// A classified delivery failure; `message` never holds a token, a password or a webhook URL.
package struct DeliveryError: Error, Sendable, Equatable, CustomStringConvertible {
    package var errorClass: DeliveryErrorClass
    package var message: String

    package init(_ errorClass: DeliveryErrorClass, _ message: String) {
        self.errorClass = errorClass
        self.message = message
    }

    /// True for classes worth another attempt: network, timeout, 5xx, throttled.
    package var isRetryable: Bool {
        switch errorClass {
        case .network, .timeout, .serverError, .throttled: true
        case .rejected, .configuration, .expired: false
        }
    }

    package var description: String { "\(errorClass.rawValue): \(message)" }
}
