import Glibc
import KlaxonRuntime
import Synchronization

/// What every I/O loop of one server shares.
final class HTTPServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let handler: any HTTPHandler
    let logger: Logger
    let listenFD: Int32
    let openConnections = Atomic<Int>(0)

    init(configuration: HTTPServerConfiguration, handler: any HTTPHandler, logger: Logger, listenFD: Int32) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.listenFD = listenFD
    }
}

/// One epoll event loop on its own thread: accepts, reads, answers and times out its connections.
///
/// `@unchecked Sendable`: after `init`, every mutable field is touched only by the thread running
/// `run()`. Other threads only call `requestStop()`, which uses an atomic flag and the wake pipe.
final class HTTPIOLoop: @unchecked Sendable {
    let context: HTTPServerContext
    let epoll: Epoll
    private let wakeRead: Int32
    private let wakeWrite: Int32
    private let stopRequested = Atomic<Bool>(false)
    var connections: [Int32: HTTPConnection] = [:]
    var stopping = false
    private var acceptResumesAt: Int64?
    private var nextSweep: Int64 = 0
    let readBuffer: UnsafeMutableRawBufferPointer
    let idleTimeoutMs: Int64
    let readTimeoutMs: Int64
    private let tickMs: Int32

    init(context: HTTPServerContext) throws(SocketError) {
        self.context = context
        epoll = try Epoll()
        var fds: [Int32] = [0, 0]
        try SystemCall.retrying("pipe") { pipe(&fds) }
        wakeRead = fds[0]
        wakeWrite = fds[1]
        readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        idleTimeoutMs = context.configuration.idleTimeout.clampedMilliseconds
        readTimeoutMs = context.configuration.requestReadTimeout.clampedMilliseconds
        tickMs = Int32(clamping: max(5, min(250, min(idleTimeoutMs, readTimeoutMs) / 4)))
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
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
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
            let limit = context.configuration.maxConnections
            if context.openConnections.wrappingAdd(1, ordering: .relaxed).newValue > limit {
                context.openConnections.wrappingSubtract(1, ordering: .relaxed)
                refuse(fd, limit: limit)
                continue
            }
            do {
                try SystemCall.makeNonBlocking(fd)
                try SystemCall.setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1, "TCP_NODELAY")
                let events = Epoll.input | Epoll.readHangUp
                try epoll.add(fd, events)
                connections[fd] = HTTPConnection(
                    fd: fd, peer: "", limits: context.configuration.limits, now: now, registered: events)
            } catch {
                context.logger.warning("HTTP connection setup failed", ["error": "\(error)"])
                close(fd)
                context.openConnections.wrappingSubtract(1, ordering: .relaxed)
            }
        }
    }

    /// Over the connection limit: a best-effort 503, then close.
    private func refuse(_ fd: Int32, limit: Int) {
        let error = HTTPParseError(
            .serviceUnavailable, "The server is at its limit of \(limit) open connections; retry later.")
        let bytes = HTTPResponseWriter.serialize(error, date: dateHeader())
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)) }
        close(fd)
        context.logger.warning("HTTP connection refused", ["http.max_connections": "\(limit)"])
    }

    func dateHeader() -> String? {
        context.configuration.sendDate
            ? HTTPDate.format(milliseconds: context.configuration.clock.nowMilliseconds()) : nil
    }

    // MARK: - Stopping and timeouts

    private func beginStop() {
        stopping = true
        epoll.remove(context.listenFD)
        for connection in Array(connections.values) where connection.drainingUntil == nil {
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
            } else if let started = connection.requestStartedAt, now - started >= readTimeoutMs,
                !connection.closeAfterFlush
            {
                let error = HTTPParseError(
                    .requestTimeout, "The request did not arrive completely within \(readTimeoutMs) ms.")
                connection.output.append(contentsOf: HTTPResponseWriter.serialize(error, date: dateHeader()))
                connection.closeAfterFlush = true
                flush(connection, now: now)
                updateInterest(connection)
            } else if now - connection.lastActivity >= idleTimeoutMs
                && (connection.hasPendingOutput || connection.requestStartedAt == nil)
            {
                closeConnection(connection)
            }
        }
    }

    func closeConnection(_ connection: HTTPConnection) {
        guard !connection.isClosed else { return }
        connection.isClosed = true
        epoll.remove(connection.fd)
        close(connection.fd)
        connections[connection.fd] = nil
        context.openConnections.wrappingSubtract(1, ordering: .relaxed)
    }

    private func tearDown() {
        for connection in Array(connections.values) { closeConnection(connection) }
        epoll.remove(context.listenFD)
        close(wakeRead)
        close(wakeWrite)
        readBuffer.deallocate()
    }
}
