import KlaxonRouting
import KlaxonRuntime

/// Writes notifications to Klaxon's log: always configured, never fails, the fallback of last resort.
package struct LogNotifier: Notifier {
    /// The receiver name the log notifier always has.
    package static let receiverName = "log"

    package let receiver: String
    private let logger: Logger
    private let renderer: any MessageRendering
    private let clock: any WallClock

    package init(
        receiver: String = LogNotifier.receiverName, logger: Logger, renderer: any MessageRendering = DefaultMessages(),
        clock: any WallClock = SystemWallClock()
    ) {
        self.receiver = receiver
        self.logger = logger
        self.renderer = renderer
        self.clock = clock
    }

    package func send(_ notification: Notification, attempt: Int) async -> DeliveryResult {
        let text = renderer.message(for: notification, now: clock.nowMilliseconds()).plainText
        logger.warning(
            "notification",
            [
                "notifier.kind": "log", "notifier.receiver": receiver, "notification.id": notification.id,
                "notification.severity": notification.severity.name,
                "notification.status": notification.status.rawValue,
                "notification.alerts": "\(notification.alerts.count)", "notification.text": text,
            ])
        return .delivered
    }
}
