import KlaxonHTTP
import KlaxonRuntime
import Synchronization

/// Runs the demo's synthetic engine: each second it pushes every KPI through the same
/// Pushgateway handler a real engine's push reaches, with the scheduled incident applied.
package final class DemoService: Service, Sendable {
    package let name = "demo"
    private let push: @Sendable (HTTPRequest) -> HTTPResponse
    private let clock: any WallClock
    private let logger: Logger
    private let state: Mutex<(engine: DemoEngine, schedule: DemoSchedule)>

    /// `push` handles a request as the HTTP server would; `every` is the rotation period.
    package init(
        every: Int64, push: @escaping @Sendable (HTTPRequest) -> HTTPResponse, clock: any WallClock, logger: Logger
    ) {
        self.push = push
        self.clock = clock
        self.logger = logger
        state = Mutex((DemoEngine(), DemoSchedule(start: clock.nowMilliseconds(), every: every)))
    }

    /// Starts `name` now; false when there is no such incident.
    @discardableResult
    package func trigger(_ name: String) -> Bool {
        guard let incident = DemoIncident.named(name) else { return false }
        let now = clock.nowMilliseconds()
        state.withLock { $0.schedule.trigger(incident, now: now) }
        logger.info(
            "demo incident injected",
            ["incident": incident.name, "expected.alert": incident.alert, "expected.severity": incident.severity])
        return true
    }

    /// The incident running now and when the next one starts.
    package var status: (running: DemoSchedule.Running?, nextAt: Int64) {
        state.withLock { ($0.schedule.running, $0.schedule.nextAt) }
    }

    /// One second of the engine: renders the KPIs and pushes them.
    package func step() {
        let now = clock.nowMilliseconds()
        let (body, started) = state.withLock { state -> (String, DemoIncident?) in
            let before = state.schedule.running
            let current = state.schedule.current(at: now)
            let started = state.schedule.running != before ? state.schedule.running?.incident : nil
            return (state.engine.tick(unixMilliseconds: now, incident: current), started)
        }
        if let started {
            logger.info(
                "demo incident started",
                ["incident": started.name, "expected.alert": started.alert, "expected.severity": started.severity])
        }
        let response = push(
            HTTPRequest(
                method: "PUT", target: DemoEngine.pushPath,
                headers: ["Content-Type": "text/plain; version=0.0.4"], body: Array(body.utf8)))
        if response.status.code >= 300 {
            logger.error("demo push refused", ["http.status": "\(response.status.code)"])
        }
    }

    package func run() async throws {
        while !Task.isCancelled {
            step()
            try await Task.sleep(for: .seconds(1))
        }
    }
}
