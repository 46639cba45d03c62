import KlaxonConfig
import KlaxonRouting
import KlaxonRuntime

/// The notifiers, fallbacks, retry policies and health thresholds the `receivers:` configuration
/// names, plus the log notifier that always exists. What the server hands to `OutboxDeliverer`.
package struct ConfiguredReceivers: Sendable {
    /// One notifier per receiver, the log notifier last.
    package var notifiers: [any Notifier]
    /// `fallback` by receiver name (empty lists left out: the deliverer falls back to the log).
    package var fallbacks: [String: [String]]
    /// `max_delivery_age` by receiver name.
    package var policies: [String: RetryPolicy]
    /// `failing_after_failures` / `failing_after` by receiver name.
    package var health: ReceiverHealth
    /// Email receivers' `digest_at`: which P3 notifications wait for a daily digest.
    package var digest: EmailDigest

    package init(
        _ receivers: [ReceiverConfiguration], transport: any HTTPTransport, logger: Logger,
        renderer: any MessageRendering = DefaultMessages(), clock: any WallClock = SystemWallClock()
    ) {
        var notifiers: [any Notifier] = []
        var fallbacks: [String: [String]] = [:]
        var policies: [String: RetryPolicy] = [:]
        var thresholds: [String: ReceiverHealth.Thresholds] = [:]
        var digests: [String: DigestSchedule] = [:]
        for receiver in receivers {
            let timeout = receiver.timeoutMilliseconds
            let messages = Self.renderer(for: receiver, default: renderer, logger: logger)
            switch receiver.kind {
            case .telegram(let telegram):
                notifiers.append(
                    TelegramNotifier(
                        receiver: receiver.name, botToken: telegram.botToken, chatID: telegram.chatID,
                        apiURL: telegram.apiURL, timeoutMilliseconds: timeout, transport: transport, renderer: messages,
                        clock: clock))
            case .slack(let url):
                notifiers.append(
                    SlackNotifier(
                        receiver: receiver.name, webhookURL: url, timeoutMilliseconds: timeout, transport: transport,
                        renderer: messages, clock: clock))
            case .webhook(let url, let maxAlerts):
                notifiers.append(
                    WebhookNotifier(
                        receiver: receiver.name, url: url, maxAlerts: maxAlerts, timeoutMilliseconds: timeout,
                        transport: transport))
            case .alertmanager(let urls):
                notifiers.append(
                    AlertmanagerNotifier(
                        receiver: receiver.name, urls: urls, timeoutMilliseconds: timeout, transport: transport,
                        clock: clock))
            case .email(let email):
                if let minute = email.digestAtMinute { digests[receiver.name] = DigestSchedule(minuteOfDay: minute) }
                notifiers.append(
                    EmailNotifier(
                        receiver: receiver.name, email: email, timeoutMilliseconds: timeout, renderer: messages,
                        clock: clock))
            }
            if !receiver.fallback.isEmpty { fallbacks[receiver.name] = receiver.fallback }
            policies[receiver.name] = RetryPolicy(maxDeliveryAgeMilliseconds: receiver.maxDeliveryAgeMilliseconds)
            thresholds[receiver.name] = ReceiverHealth.Thresholds(
                consecutiveFailures: receiver.failingAfterFailures,
                failingAfterMilliseconds: receiver.failingAfterMilliseconds)
        }
        notifiers.append(LogNotifier(logger: logger, renderer: renderer, clock: clock))
        self.notifiers = notifiers
        self.fallbacks = fallbacks
        self.policies = policies
        health = ReceiverHealth(thresholds: thresholds)
        digest = EmailDigest(schedules: digests)
    }

    /// The receiver's `message` template, else `default`. The configuration checked the template;
    /// should it still not parse, the built-in message goes and the log says why.
    private static func renderer(
        for receiver: ReceiverConfiguration, default renderer: any MessageRendering, logger: Logger
    ) -> any MessageRendering {
        guard let text = receiver.message else { return renderer }
        do {
            return try TemplatedMessages(text, receiver: receiver.name)
        } catch {
            logger.error(
                "receiver message template unusable; sending the built-in message",
                ["receiver": receiver.name, "error": error.description])
            return renderer
        }
    }
}
