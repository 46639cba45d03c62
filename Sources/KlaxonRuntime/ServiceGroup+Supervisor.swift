// MARK: - What the group's children report

/// Something that asks the group to act, from a signal or a direct call.
enum GroupEvent: Sendable {
    case shutdownRequested(reason: String)
    case reloadRequested(reason: String)
}

/// How one child task of the group ended.
enum ChildOutcome: Sendable {
    case serviceReturned(String)
    case serviceFailed(String, any Error)
    case event(GroupEvent)
    case listenerEnded
    case reloadFinished
}

// MARK: - Decisions

/// The group's bookkeeping as a pure state machine: takes what a child reported, returns what to do.
struct Supervisor {
    enum Action: Equatable {
        case none
        case cancelAll
        case reload
    }

    private(set) var runningServices: Int
    var stopping = false
    private(set) var failure: (any Error)?
    private var reloading = false
    private var reloadPending = false

    init(serviceCount: Int) {
        runningServices = serviceCount
    }

    mutating func handle(_ outcome: ChildOutcome, logger: Logger) -> Action {
        switch outcome {
        case .serviceReturned(let name):
            runningServices -= 1
            if stopping {
                logger.info("service stopped", ["service.name": name])
                return .none
            }
            logger.error("service stopped before shutdown was requested", ["service.name": name])
            return fail(with: ServiceGroupError.serviceFinishedEarly(service: name))
        case .serviceFailed(let name, let error):
            runningServices -= 1
            if stopping, error is CancellationError {
                logger.info("service stopped", ["service.name": name])
                return .none
            }
            logger.error("service failed", ["service.name": name, "error": String(describing: error)])
            return fail(with: error)
        case .event(.shutdownRequested(let reason)):
            guard !stopping else {
                logger.info("graceful shutdown already in progress", ["reason": reason])
                return .none
            }
            logger.info("graceful shutdown requested", ["reason": reason])
            stopping = true
            return .cancelAll
        case .event(.reloadRequested(let reason)):
            guard !stopping else { return .none }
            logger.info("reload requested", ["reason": reason])
            if reloading {
                // One reload at a time; a request during a reload runs once it finishes.
                reloadPending = true
                return .none
            }
            reloading = true
            return .reload
        case .reloadFinished:
            guard reloadPending, !stopping else {
                reloading = false
                return .none
            }
            reloadPending = false
            return .reload
        case .listenerEnded:
            return .none
        }
    }

    private mutating func fail(with error: any Error) -> Action {
        if failure == nil {
            failure = error
        }
        guard !stopping else { return .none }
        stopping = true
        return .cancelAll
    }
}
