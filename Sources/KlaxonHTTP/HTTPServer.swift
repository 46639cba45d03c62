import Dispatch
import Foundation
import Glibc
import KlaxonRuntime
import Synchronization

/// An HTTP/1.1 server: a non-blocking listener served by a few epoll threads. Handlers run on
/// those threads, or on a small pool of worker threads for routes that may be slow (`HTTPExecution`).
///
/// `run()` serves until its task is cancelled, then stops gracefully: it stops accepting, lets a
/// request being read complete and answers it with `Connection: close`, closes idle connections,
/// and returns once every connection is gone. `shutdown()` does the same without async code.
package final class HTTPServer: Service {
    package let name = "http"
    private let configuration: HTTPServerConfiguration
    private let handler: any HTTPHandler
    private let logger: Logger
    private let state = Mutex(State())
    private let finished = DispatchGroup()
    private let loopsRunning = Atomic<Int>(0)

    private struct State {
        var started = false
        var port: Int?
        var loops: [HTTPIOLoop] = []
    }

    /// Counts of this server's connections (open, evicted at the limit, refused).
    package let counters: HTTPConnectionCounters

    package init(
        configuration: HTTPServerConfiguration, handler: any HTTPHandler, logger: Logger = .disabled,
        counters: HTTPConnectionCounters = HTTPConnectionCounters()
    ) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.counters = counters
    }

    /// The port actually bound (useful with port 0); nil before `start()`.
    package var port: Int? { state.withLock { $0.port } }

    /// Binds the listener and starts the I/O threads; does nothing if already started.
    package func start() throws(SocketError) {
        try state.withLock { state throws(SocketError) in
            guard !state.started else { return }
            signal(SIGPIPE, SIG_IGN)
            let listenFD = try SocketAddress.listen(
                host: configuration.host, port: configuration.port, backlog: configuration.backlog)
            let context = HTTPServerContext(
                configuration: configuration, handler: handler, logger: logger, listenFD: listenFD,
                counters: counters)
            var loops: [HTTPIOLoop] = []
            do throws(SocketError) {
                state.port = try SocketAddress.boundPort(of: listenFD)
                let count = max(1, configuration.ioThreads)
                let limit = max(1, configuration.maxConnections)
                for index in 0..<count {
                    // Equal shares summing to the limit, so no loop needs another's count to admit a client.
                    let share = limit / count + (index < limit % count ? 1 : 0)
                    loops.append(try HTTPIOLoop(context: context, connectionShare: share))
                }
            } catch {
                for loop in loops { loop.discard() }
                close(listenFD)
                throw error
            }
            state.started = true
            state.loops = loops
            loopsRunning.store(loops.count, ordering: .relaxed)
            context.workers.start(namePrefix: "klaxon-http-worker", group: finished)
            for (index, loop) in loops.enumerated() {
                finished.enter()
                let thread = Thread { [self] in
                    loop.run()
                    // The last loop out owns closing the listener: no loop polls it any more. No
                    // connection is left to answer, so the workers stop too (a running handler finishes).
                    if loopsRunning.wrappingSubtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                        close(listenFD)
                        context.workers.stop()
                    }
                    finished.leave()
                }
                thread.name = "klaxon-http-\(index)"
                thread.start()
            }
            logger.info(
                "HTTP server listening",
                ["http.host": configuration.host, "http.port": "\(state.port ?? 0)", "http.threads": "\(loops.count)"])
        }
    }

    /// Serves until the task is cancelled, then shuts down gracefully and returns.
    package func run() async throws {
        try start()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                finished.notify(queue: .global()) { continuation.resume() }
            }
        } onCancel: {
            requestStop()
        }
        logger.info("HTTP server stopped", [:])
    }

    /// Starts a graceful stop without waiting for it.
    package func requestStop() {
        for loop in state.withLock({ $0.loops }) { loop.requestStop() }
    }

    /// Stops gracefully and blocks the calling thread until every connection is closed.
    /// Never call it from a Swift concurrency task; cancel the task running `run()` instead.
    package func shutdown() {
        requestStop()
        finished.wait()
    }
}
