import Glibc
import KlaxonRuntime
import Synchronization

/// What every I/O loop of one server shares.
final class HTTPServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    let logger: Logger
    let listenFD: Int32
    /// Runs `.worker` handlers.
    let workers: HTTPWorkerPool
    let counters: HTTPConnectionCounters

    init(
        configuration: HTTPServerConfiguration, handler: any HTTPHandler, logger: Logger, listenFD: Int32,
        counters: HTTPConnectionCounters
    ) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.listenFD = listenFD
        self.counters = counters
        workers = HTTPWorkerPool(threads: configuration.workerThreads, capacity: configuration.maxQueuedWork)
    }
}

/// A response a worker computed, on its way back to the loop that owns the connection.
struct HTTPDeferredResponse: Sendable {
    var fd: Int32
    var serial: UInt64
    var response: HTTPResponse
}

/// One epoll event loop on its own thread: accepts, reads, answers and times out its connections.
///
/// `@unchecked Sendable`: after `init`, every mutable field is touched only by the thread running
/// `run()`. Other threads only call `requestStop()`, which uses an atomic flag and the wake pipe,
/// and `deliver(_:)`, which uses the inbox's lock and the wake pipe.
final class HTTPIOLoop: @unchecked Sendable {
    /// Responses from workers, and whether the wake pipe is closed (then nothing more is taken).
    struct Inbox {
        var responses: [HTTPDeferredResponse] = []
        var closed = false
    }

    let context: HTTPServerContext
    let epoll: Epoll
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let stopRequested = Atomic<Bool>(false)
    let inbox = Mutex(Inbox())
    var connections: [Int32: HTTPConnection] = [:]
    var stopping = false
    private var acceptResumesAt: Int64?
    private var nextSweep: Int64 = 0
    private var nextSerial: UInt64 = 0
    let readBuffer: UnsafeMutableRawBufferPointer
    let idleTimeoutMs: Int64
    let readTimeoutMs: Int64
    let headTimeoutMs: Int64
    /// This loop's share of `maxConnections`.
    let connectionShare: Int
    private let tickMs: Int32

    init(context: HTTPServerContext, connectionShare: Int) throws(SocketError) {
        self.context = context
        self.connectionShare = max(1, connectionShare)
        epoll = try Epoll()
        var fds: [Int32] = [0, 0]
        try SystemCall.retrying("pipe") { pipe(&fds) }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        idleTimeoutMs = context.configuration.idleTimeout.clampedMilliseconds
        readTimeoutMs = context.configuration.requestReadTimeout.clampedMilliseconds
        headTimeoutMs = min(readTimeoutMs, context.configuration.requestHeadTimeout.clampedMilliseconds)
        tickMs = Int32(clamping: max(5, min(250, min(idleTimeoutMs, headTimeoutMs) / 4)))
        do {
            try SystemCall.makeNonBlocking(wakeRead)
            try SystemCall.makeNonBlocking(wakeWrite)
            try epoll.add(wakeRead, Epoll.input)
            // EPOLLEXCLUSIVE wakes one loop per incoming connection instead of all of them.
            try epoll.add(context.listenFD, Epoll.input | Epoll.exclusive)
        } catch {
            close(wakeRead)
            close(wakeWrite)
            readBuffer.deallocate()
            throw error
        }
    }

    /// Asks the loop to stop gracefully; safe from any thread.
    func requestStop() {
        stopRequested.store(true, ordering: .releasing)
        wake()
    }

    /// Hands a worker's response to the loop; safe from any thread. Dropped once the loop has ended.
    func deliver(_ response: HTTPDeferredResponse) {
        inbox.withLock { inbox in
            guard !inbox.closed else { return }
            inbox.responses.append(response)
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    /// Writes to the wake pipe unless it is closed; under the inbox's lock, so the descriptor cannot
    /// be closed (and its number reused) between the check and the write.
    private func wake() {
        inbox.withLock { inbox in
            guard !inbox.closed else { return }
            var byte: UInt8 = 1
            _ = write(wakeWrite, &byte, 1)
        }
    }

    /// Serves until a stop was requested and every connection has finished.
    func run() {
        defer { tearDown() }
        while true {
            if !stopping && stopRequested.load(ordering: .acquiring) { beginStop() }
            if stopping && connections.isEmpty { return }
            let ready: Int
            do {
                ready = try epoll.wait(timeout: tickMs)
            } catch {
                context.logger.error("HTTP event loop failed", ["error": "\(error)"])
                return
            }
            let now = SystemCall.monotonicMilliseconds()
            for index in 0..<ready {
                let event = epoll.event(index)
                if event.fd == context.listenFD {
                    acceptConnections(now: now)
                } else if event.fd == wakeRead {
                    var sink = [UInt8](repeating: 0, count: 64)
                    while read(wakeRead, &sink, sink.count) > 0 {}
                    deliverInbox(now: now)
                } else if let connection = connections[event.fd] {
                    service(connection, flags: event.flags, now: now)
                }
            }
            if now >= nextSweep {
                nextSweep = now + Int64(tickMs)
                sweep(now: now)
            }
        }
    }

    // MARK: - Accepting

    private func acceptConnections(now: Int64) {
        guard !stopping else { return }
        for _ in 0..<64 {
            let fd: Int32
            do {
                guard let accepted = try SystemCall.nonBlocking("accept", { accept(context.listenFD, nil, nil) })
                else { return }
                fd = accepted
            } catch {
                if error.code == ECONNABORTED || error.code == EPROTO { continue }
                // Out of descriptors or memory: stop polling the listener briefly instead of spinning.
                context.logger.warning("HTTP accept failed", ["error": "\(error)"])
                epoll.remove(context.listenFD)
                acceptResumesAt = now + 100
                return
            }
            if connections.count >= connectionShare && !evictOldest() {
                refuse(fd)
                continue
            }
            do {
                try SystemCall.makeNonBlocking(fd)
                try SystemCall.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1, "TCP_NODELAY")
                let events = Epoll.input | Epoll.readHangUp
                try epoll.add(fd, events)
                nextSerial &+= 1
                connections[fd] = HTTPConnection(
                    fd: fd, serial: nextSerial, limits: context.configuration.limits, now: now, registered: events)
                context.counters.opened()
            } catch {
                context.logger.warning("HTTP connection setup failed", ["error": "\(error)"])
                close(fd)
            }
        }
    }

    func dateHeader() -> String? {
        context.configuration.sendDate
            ? HTTPDate.format(milliseconds: context.configuration.clock.nowMilliseconds()) : nil
    }

    // MARK: - Stopping and timeouts

    private func beginStop() {
        stopping = true
        epoll.remove(context.listenFD)
        // A connection awaiting a worker is answered with `Connection: close` when the worker returns.
        for connection in Array(connections.values)
        where connection.drainingUntil == nil && connection.awaiting == nil {
            if connection.isIdle {
                closeConnection(connection)
            } else if !connection.parser.isMidRequest {
                connection.closeAfterFlush = true
                flush(connection, now: SystemCall.monotonicMilliseconds())
            }
        }
    }

    private func sweep(now: Int64) {
        if let resume = acceptResumesAt, now >= resume, !stopping {
            acceptResumesAt = nil
            try? epoll.add(context.listenFD, Epoll.input | Epoll.exclusive)
        }
        for connection in Array(connections.values) {
            if let until = connection.drainingUntil {
                if now >= until { closeConnection(connection) }
            } else if let timeout = readTimeout(of: connection, now: now) {
                let error = HTTPParseError(.requestTimeout, timeout)
                connection.output.append(contentsOf: HTTPResponseWriter.serialize(error, date: dateHeader()))
                connection.closeAfterFlush = true
                flush(connection, now: now)
                updateInterest(connection)
            } else if now - connection.lastActivity >= idleTimeoutMs
                && (connection.hasPendingOutput || (connection.requestStartedAt == nil && connection.awaiting == nil))
            {
                closeConnection(connection)
            }
        }
    }

    /// Why the request being read has taken too long (its head, or the whole request); nil while in time.
    private func readTimeout(of connection: HTTPConnection, now: Int64) -> String? {
        guard let started = connection.requestStartedAt, !connection.closeAfterFlush else { return nil }
        if connection.parser.isReadingHead {
            guard now - started >= headTimeoutMs else { return nil }
            return "The request line and headers did not arrive completely within \(headTimeoutMs) ms."
        }
        guard now - started >= readTimeoutMs else { return nil }
        return "The request did not arrive completely within \(readTimeoutMs) ms."
    }

    func closeConnection(_ connection: HTTPConnection) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        connection.awaiting?.item.cancel()
        connection.awaiting = nil
        epoll.remove(connection.fd)
        close(connection.fd)
        connections[connection.fd] = nil
        context.counters.closed()
    }

    private func tearDown() {
        for connection in Array(connections.values) { closeConnection(connection) }
        epoll.remove(context.listenFD)
        discard()
    }

    /// Releases the wake pipe and read buffer; for a loop whose thread never ran, or at the end of `run()`.
    /// Workers that answer later find the inbox closed and drop their response.
    func discard() {
        inbox.withLock { inbox in
            inbox.closed = true
            inbox.responses.removeAll()
            close(wakeRead)
            close(wakeWrite)
        }
        readBuffer.deallocate()
    }
}
