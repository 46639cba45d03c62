import Synchronization

/// Runs Klaxon's long-running services together and stops them together.
///
/// `SIGTERM` and `SIGINT` (or `triggerGracefulShutdown()`, or cancelling the task that called
/// `run()`) cancel every service: cancellation is each service's request to stop gracefully.
/// `SIGHUP` calls the reload callback. When one service throws, or returns before a stop was
/// requested, the others are cancelled and `run()` throws once they have all returned.
package final class ServiceGroup: Sendable {
    /// Which signals stop the group and which ask for a reload; what to do when stopping hangs.
    package struct Configuration: Sendable {
        /// Signals that start a graceful shutdown; `SIGTERM` and `SIGINT` by default.
        package var gracefulShutdownSignals: [UnixSignal]
        /// Signals that call the reload callback; `SIGHUP` by default.
        package var reloadSignals: [UnixSignal]
        /// How long services may take to stop before `onShutdownStuck` runs; nil waits forever.
        package var shutdownTimeout: Duration?
        /// Runs once, with the names of the services still running, when the shutdown outlives
        /// `shutdownTimeout` or a second stop request arrives. The group has logged them already;
        /// the `klaxon` binary exits with status 1 here. Does nothing by default.
        package var onShutdownStuck: @Sendable (_ runningServices: [String]) -> Void

        package init(
            gracefulShutdownSignals: [UnixSignal] = [.terminate, .interrupt],
            reloadSignals: [UnixSignal] = [.hangup],
            shutdownTimeout: Duration? = .seconds(30),
            onShutdownStuck: @escaping @Sendable (_ runningServices: [String]) -> Void = { _ in }
        ) {
            self.gracefulShutdownSignals = gracefulShutdownSignals
            self.reloadSignals = reloadSignals
            self.shutdownTimeout = shutdownTimeout
            self.onShutdownStuck = onShutdownStuck
        }
    }

    private let services: [any Service]
    private let logger: Logger
    private let onReload: @Sendable () async -> Void
    private let events: AsyncStream<GroupEvent>
    private let eventInput: AsyncStream<GroupEvent>.Continuation
    private let started = Mutex(false)
    private let watcher: UnixSignalWatcher
    private let watchdog: ShutdownWatchdog

    /// A group of `services`; `onReload` runs once per reload signal, never two at a time.
    ///
    /// The configured signals are watched from here on, not only once `run()` starts: a `SIGTERM`
    /// that arrives while the process is still starting up stops the group as soon as it runs.
    package init(
        services: [any Service],
        configuration: Configuration = Configuration(),
        logger: Logger,
        onReload: @escaping @Sendable () async -> Void = {}
    ) {
        self.services = services
        self.logger = logger
        self.onReload = onReload
        let (events, input) = AsyncStream.makeStream(of: GroupEvent.self, bufferingPolicy: .unbounded)
        self.events = events
        eventInput = input

        let watchdog = ShutdownWatchdog(
            services: services.map(\.name),
            timeout: configuration.shutdownTimeout,
            logger: logger,
            onStuck: configuration.onShutdownStuck
        )
        self.watchdog = watchdog

        ProcessSignals.ignoreBrokenPipe()
        let graceful = Set(configuration.gracefulShutdownSignals)
        watcher = UnixSignalWatcher(
            signals: configuration.gracefulShutdownSignals + configuration.reloadSignals
        ) { signal in
            if !graceful.contains(signal) {
                input.yield(.reloadRequested(reason: signal.description))
            } else if watchdog.requestShutdown(reason: signal.description) {
                input.yield(.shutdownRequested(reason: signal.description))
            }
        }
    }

    /// Asks the group to stop gracefully, as `SIGTERM` would. Safe to call from anywhere, any time.
    /// A second request while stopping counts as a stuck shutdown (see `Configuration`).
    package func triggerGracefulShutdown() {
        if watchdog.requestShutdown(reason: "requested") {
            eventInput.yield(.shutdownRequested(reason: "requested"))
        }
    }

    /// Asks the group to reload, as `SIGHUP` would.
    package func triggerReload() {
        eventInput.yield(.reloadRequested(reason: "requested"))
    }

    /// Runs every service until all have returned; throws the first failure, if any.
    package func run() async throws {
        let alreadyStarted = started.withLock { started in
            defer { started = true }
            return started
        }
        guard !alreadyStarted else { throw ServiceGroupError.alreadyRunning }

        defer {
            watcher.cancel()
            watchdog.finish()
        }

        logger.info("service group starting", ["services": services.map(\.name).joined(separator: ",")])
        let failure = await runServices()
        if let failure {
            logger.error("service group stopped after a failure", ["error": String(describing: failure)])
            throw failure
        }
        logger.info("service group stopped")
    }

    // MARK: - Supervision

    private func runServices() async -> (any Error)? {
        await withTaskGroup(of: ChildOutcome.self) { group in
            for service in services {
                group.addTask { [logger] in
                    logger.info("service started", ["service.name": service.name])
                    do {
                        try await service.run()
                        return .serviceReturned(service.name)
                    } catch {
                        return .serviceFailed(service.name, error)
                    }
                }
            }
            group.addTask { [events] in await Self.nextEvent(from: events) }

            var supervisor = Supervisor(serviceCount: services.count)
            while let outcome = await group.next() {
                if Task.isCancelled, !supervisor.stopping {
                    logger.info("graceful shutdown requested", ["reason": "task cancelled"])
                    supervisor.stopping = true
                    watchdog.shutdownStarted()
                    group.cancelAll()
                }
                switch outcome {
                case .serviceReturned(let name), .serviceFailed(let name, _):
                    watchdog.serviceStopped(name)
                default:
                    break
                }
                switch supervisor.handle(outcome, logger: logger) {
                case .none:
                    break
                case .cancelAll:
                    watchdog.shutdownStarted()
                    group.cancelAll()
                case .reload:
                    group.addTask { [onReload] in
                        await onReload()
                        return .reloadFinished
                    }
                }
                if case .event = outcome, !supervisor.stopping {
                    group.addTask { [events] in await Self.nextEvent(from: events) }
                }
            }
            return supervisor.failure
        }
    }

    private static func nextEvent(from events: AsyncStream<GroupEvent>) async -> ChildOutcome {
        var iterator = events.makeAsyncIterator()
        guard let event = await iterator.next() else { return .listenerEnded }
        return .event(event)
    }
}

// MARK: - Errors

/// Why a service group stopped on its own rather than on request.
package enum ServiceGroupError: Error, Equatable, CustomStringConvertible {
    /// A service's `run()` returned while nothing had asked it to stop.
    case serviceFinishedEarly(service: String)
    /// `run()` was called a second time on the same group.
    case alreadyRunning

    package var description: String {
        switch self {
        case .serviceFinishedEarly(let service):
            "service '\(service)' returned before shutdown was requested; services must run until cancelled"
        case .alreadyRunning:
            "this service group has already been run; create a new ServiceGroup to run services again"
        }
    }
}
