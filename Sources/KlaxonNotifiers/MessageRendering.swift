import KlaxonRouting

/// Turns a notification into message text. The seam for per-receiver templates: a receiver with
/// a template gets a renderer built from it; every other receiver gets `DefaultMessages`.
package protocol MessageRendering: Sendable {
    /// The message for `notification`, as of `now` (Unix ms; "for 5m" is measured to it).
    func message(for notification: Notification, now: Int64) -> MessageText
}
