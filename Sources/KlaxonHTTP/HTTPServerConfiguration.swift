import KlaxonRuntime

/// How an `HTTPServer` listens and what it tolerates from clients.
package struct HTTPServerConfiguration: Sendable {
    /// Address to bind; `0.0.0.0` for every IPv4 interface, `::` for IPv6, `127.0.0.1` for loopback.
    package var host: String
    /// Port to bind; 0 picks a free one (read it back from `HTTPServer.port`).
    package var port: Int
    /// Number of epoll I/O threads; `.ioThread` handlers run on them.
    package var ioThreads: Int
    /// Number of threads running `.worker` handlers (see `HTTPExecution`).
    package var workerThreads: Int
    /// Requests waiting for a worker beyond this are answered 503 at once.
    package var maxQueuedWork: Int
    /// Most open connections. Each I/O thread holds an equal share; a thread at its share closes
    /// its oldest idle or half-sent connection to admit a new one, and answers 503 only when every
    /// connection it holds is busy (a response being computed or sent).
    package var maxConnections: Int
    /// A connection with no request in progress is closed after this long.
    package var idleTimeout: Duration
    /// A request must arrive completely within this long from its first byte, else 408 and close.
    package var requestReadTimeout: Duration
    /// The request line and headers must arrive within this long from the first byte, else 408
    /// and close (at most `requestReadTimeout`): a client trickling a head holds a connection no longer.
    package var requestHeadTimeout: Duration
    /// Header and body size limits.
    package var limits: HTTPParserLimits
    /// Whether responses carry a `Date` header.
    package var sendDate: Bool
    /// Source of the `Date` header.
    package var clock: any WallClock
    /// `listen(2)` backlog.
    package var backlog: Int32

    package init(
        host: String = "0.0.0.0",
        port: Int = 9090,
        ioThreads: Int = 2,
        workerThreads: Int = 4,
        maxQueuedWork: Int = 1024,
        maxConnections: Int = 16_384,
        idleTimeout: Duration = .seconds(60),
        requestReadTimeout: Duration = .seconds(30),
        requestHeadTimeout: Duration = .seconds(10),
        limits: HTTPParserLimits = HTTPParserLimits(),
        sendDate: Bool = true,
        clock: any WallClock = SystemWallClock(),
        backlog: Int32 = 511
    ) {
        self.host = host
        self.port = port
        self.ioThreads = ioThreads
        self.workerThreads = workerThreads
        self.maxQueuedWork = maxQueuedWork
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.requestReadTimeout = requestReadTimeout
        self.requestHeadTimeout = requestHeadTimeout
        self.limits = limits
        self.sendDate = sendDate
        self.clock = clock
        self.backlog = backlog
    }
}

extension Duration {
    /// Whole milliseconds, at least 1 (a zero timeout would spin).
    var clampedMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
