import Foundation
import KlaxonRouting
import KlaxonRuntime

/// Prints each notification readably on standard output, between two rules naming the receiver
/// and the time: the receiver `klaxon demo` shows its whole path on. Never fails.
package struct ConsoleNotifier: Notifier {
    /// The receiver name `klaxon demo` gives it.
    package static let receiverName = "console"

    package let receiver: String
    private let renderer: any MessageRendering
    private let clock: any WallClock
    private let write: @Sendable (String) -> Void

    package init(
        receiver: String = ConsoleNotifier.receiverName, renderer: any MessageRendering = DefaultMessages(),
        clock: any WallClock = SystemWallClock(),
        write: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }
    ) {
        self.receiver = receiver
        self.renderer = renderer
        self.clock = clock
        self.write = write
    }

    package func send(_ notification: KlaxonRouting.Notification, attempt: Int) async -> DeliveryResult {
        let now = clock.nowMilliseconds()
        let text = renderer.message(for: notification, now: now).plainText
        let heading = "── \(MessageFormat.time(unixMilliseconds: now)) → \(receiver) "
        write(heading + String(repeating: "─", count: max(0, 72 - heading.count)) + "\n" + text + "\n\n")
        return .delivered
    }
}
