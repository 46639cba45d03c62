import KlaxonConfig

/// Per (severity, source), at most a number of messages per minute; what is held back is counted
/// and handed back as one `RateLimitSummary` when its window closes, never silently lost.
///
/// A window opens at the first message of its key and lasts one minute. Pure: time comes in.
package struct RateLimiter: Sendable {
    package static let windowMilliseconds: Int64 = 60_000

    private struct Key: Hashable {
        var severity: Severity
        var source: String
    }

    private struct Window {
        var start: Int64
        var sent: Int
        var held: Int
        /// Alert name → how many alerts of it were held.
        var heldNames: [String: Int]
    }

    private var windows: [Key: Window] = [:]

    package init() {}

    /// Whether one more message for (`severity`, `source`) may go at `now`, given `limit` per
    /// minute (0: no limit). A refused message's alerts count into the window's summary.
    package mutating func admit(
        severity: Severity, source: String, limit: Int, alertNames: [String], now: Int64
    ) -> Bool {
        guard limit > 0 else { return true }
        let key = Key(severity: severity, source: source)
        var window = windows[key] ?? Window(start: now, sent: 0, held: 0, heldNames: [:])
        if now >= window.start &+ Self.windowMilliseconds {
            // The caller collects closed windows with `closeWindows` first; a stale one here had nothing held.
            window = Window(start: now, sent: 0, held: 0, heldNames: [:])
        }
        defer { windows[key] = window }
        if window.sent < limit {
            window.sent += 1
            return true
        }
        window.held &+= max(1, alertNames.count)
        for name in alertNames { window.heldNames[name, default: 0] &+= 1 }
        return false
    }

    /// Closes every window that ended at or before `now`; returns a summary for each that held
    /// something back, oldest first.
    package mutating func closeWindows(at now: Int64) -> [RateLimitSummary] {
        var summaries: [RateLimitSummary] = []
        for (key, window) in windows where now >= window.start &+ Self.windowMilliseconds {
            windows[key] = nil
            guard window.held > 0 else { continue }
            let names = window.heldNames.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            summaries.append(
                RateLimitSummary(
                    severity: key.severity, source: key.source, suppressed: window.held,
                    alertNames: names.prefix(5).map(\.key), windowStart: window.start,
                    windowEnd: window.start &+ Self.windowMilliseconds))
        }
        return summaries.sorted { ($0.windowStart, $0.severity, $0.source) < ($1.windowStart, $1.severity, $1.source) }
    }

    /// When the earliest window that holds something back closes; nil when none does.
    package var nextDeadline: Int64? {
        windows.values.filter { $0.held > 0 }.map { $0.start &+ Self.windowMilliseconds }.min()
    }
}
