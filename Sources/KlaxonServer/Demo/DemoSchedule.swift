/// When the demo's incidents run: one at a time, a new one every `every` milliseconds in the
/// order of `DemoIncident.all`, or at once when asked. Pure: time comes in.
package struct DemoSchedule: Sendable {
    package struct Running: Sendable, Equatable {
        package var incident: DemoIncident
        package var startedAt: Int64
    }

    /// The incident running now, if any.
    package private(set) var running: Running?
    /// When the next rotation starts one.
    package private(set) var nextAt: Int64
    private var nextIndex = 0
    private let every: Int64

    /// The first incident starts `every` after `start` (a calm first minutes to look around).
    package init(start: Int64, every: Int64) {
        self.every = max(every, 1_000)
        nextAt = start &+ self.every
    }

    /// Starts `incident` now, ending the one running; the rotation goes on from its time.
    package mutating func trigger(_ incident: DemoIncident, now: Int64) {
        running = Running(incident: incident, startedAt: now)
        nextAt = now &+ every
    }

    /// The incident to apply at `now` and how many seconds it has run; ends and starts incidents
    /// as their times come.
    package mutating func current(at now: Int64) -> (DemoIncident, elapsed: Int)? {
        if let active = running, now >= active.startedAt &+ Int64(active.incident.seconds) * 1000 {
            running = nil
        }
        if now >= nextAt, !DemoIncident.all.isEmpty {
            trigger(DemoIncident.all[nextIndex % DemoIncident.all.count], now: now)
            nextIndex += 1
        }
        guard let active = running else { return nil }
        return (active.incident, Int((now &- active.startedAt) / 1000))
    }
}
