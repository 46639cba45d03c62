import Testing

@testable import KlaxonRuntime

@Suite struct SupervisorTests {
    @Test func reloadRequestedDuringAReloadRunsOnceAfterIt() {
        var supervisor = Supervisor(serviceCount: 1)
        #expect(supervisor.handle(.event(.reloadRequested(reason: "SIGHUP")), logger: .disabled) == .reload)
        #expect(supervisor.handle(.event(.reloadRequested(reason: "SIGHUP")), logger: .disabled) == .none)
        #expect(supervisor.handle(.event(.reloadRequested(reason: "SIGHUP")), logger: .disabled) == .none)
        #expect(supervisor.handle(.reloadFinished, logger: .disabled) == .reload)
        #expect(supervisor.handle(.reloadFinished, logger: .disabled) == .none)
        #expect(supervisor.handle(.event(.reloadRequested(reason: "SIGHUP")), logger: .disabled) == .reload)
    }

    @Test func secondShutdownRequestDoesNothingMore() {
        var supervisor = Supervisor(serviceCount: 2)
        #expect(supervisor.handle(.event(.shutdownRequested(reason: "SIGTERM")), logger: .disabled) == .cancelAll)
        #expect(supervisor.handle(.event(.shutdownRequested(reason: "SIGINT")), logger: .disabled) == .none)
        #expect(supervisor.stopping)
    }

    @Test func noReloadOnceStopping() {
        var supervisor = Supervisor(serviceCount: 1)
        _ = supervisor.handle(.event(.shutdownRequested(reason: "SIGTERM")), logger: .disabled)
        #expect(supervisor.handle(.event(.reloadRequested(reason: "SIGHUP")), logger: .disabled) == .none)
    }

    @Test func cancellationErrorWhileStoppingIsACleanStop() {
        var supervisor = Supervisor(serviceCount: 1)
        _ = supervisor.handle(.event(.shutdownRequested(reason: "SIGTERM")), logger: .disabled)
        #expect(supervisor.handle(.serviceFailed("http", CancellationError()), logger: .disabled) == .none)
        #expect(supervisor.failure == nil)
        #expect(supervisor.runningServices == 0)
    }

    @Test func cancellationErrorBeforeStoppingIsAFailure() {
        var supervisor = Supervisor(serviceCount: 2)
        #expect(supervisor.handle(.serviceFailed("http", CancellationError()), logger: .disabled) == .cancelAll)
        #expect(supervisor.failure is CancellationError)
    }

    @Test func firstFailureIsTheOneReported() {
        var supervisor = Supervisor(serviceCount: 2)
        #expect(supervisor.handle(.serviceFailed("a", FakeError(reason: "first")), logger: .disabled) == .cancelAll)
        #expect(supervisor.handle(.serviceFailed("b", FakeError(reason: "second")), logger: .disabled) == .none)
        #expect(supervisor.failure as? FakeError == FakeError(reason: "first"))
    }
}
