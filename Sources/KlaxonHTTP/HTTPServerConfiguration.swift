import KlaxonRuntime

/// How an `HTTPServer` listens and what it tolerates from clients.
package struct HTTPServerConfiguration: Sendable {
    /// Address to bind; `0.0.0.0` for every IPv4 interface, `::` for IPv6, `127.0.0.1` for loopback.
    package var host: String
    /// Port to bind; 0 picks a free one (read it back from `HTTPServer.port`).
    package var port: Int
    /// Number of epoll I/O threads; handlers run on them.
    package var ioThreads: Int
    /// Open connections beyond this are answered 503 and closed.
    package var maxConnections: Int
    /// A connection with no request in progress is closed after this long.
    package var idleTimeout: Duration
    /// A request must arrive completely within this long from its first byte, else 408 and close.
    package var requestReadTimeout: Duration
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
        maxConnections: Int = 1024,
        idleTimeout: Duration = .seconds(60),
        requestReadTimeout: Duration = .seconds(10),
        limits: HTTPParserLimits = HTTPParserLimits(),
        sendDate: Bool = true,
        clock: any WallClock = SystemWallClock(),
        backlog: Int32 = 511
    ) {
        self.host = host
        self.port = port
        self.ioThreads = ioThreads
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
        self.requestReadTimeout = requestReadTimeout
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
