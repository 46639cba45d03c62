import Glibc

// MARK: - Admitting connections at the limit

extension HTTPIOLoop {
    /// At this loop's share of `maxConnections`: closes the evictable connection ranked first
    /// (draining, then the oldest half-sent or idle one) so a new client is served instead of
    /// refused. False when every connection is busy with a response.
    ///
    /// Under epoll an idle or half-sent connection costs one descriptor and a little memory, so
    /// holding many is cheap; what must not happen is that they lock newer clients out.
    func evictOldest() -> Bool {
        var victim: HTTPConnection?
        for connection in connections.values where connection.isEvictable {
            // Equal ranks (the same millisecond) go to the connection accepted first.
            if let current = victim,
                (current.evictionRank, current.serial) <= (connection.evictionRank, connection.serial)
            {
                continue
            }
            victim = connection
        }
        guard let victim else { return false }
        if victim.parser.isMidRequest && victim.drainingUntil == nil {
            sendBestEffort(
                HTTPParseError(
                    .serviceUnavailable, "The server is at its connection limit and closed this slow request."),
                to: victim.fd)
        }
        context.logger.debug(
            "HTTP connection closed to admit a new one",
            [
                "http.max_connections": "\(context.configuration.maxConnections)",
                "http.half_sent": "\(victim.parser.isMidRequest)",
            ])
        context.counters.evictedOne()
        closeConnection(victim)
        return true
    }

    /// Every connection of this loop is busy with a response: a best-effort 503, then close.
    func refuse(_ fd: Int32) {
        let limit = context.configuration.maxConnections
        context.counters.refusedOne()
        sendBestEffort(
            HTTPParseError(
                .serviceUnavailable, "The server is at its limit of \(limit) open connections; retry later."),
            to: fd)
        close(fd)
        context.logger.warning("HTTP connection refused", ["http.max_connections": "\(limit)"])
    }

    /// Writes an error response without waiting; a client not reading simply misses it.
    private func sendBestEffort(_ error: HTTPParseError, to fd: Int32) {
        let bytes = HTTPResponseWriter.serialize(error, date: dateHeader())
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT)) }
    }
}
