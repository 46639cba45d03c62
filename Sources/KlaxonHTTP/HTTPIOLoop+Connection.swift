import Glibc

extension HTTPIOLoop {
    /// Lingering after our last response lets the client read it before the socket is torn down;
    /// closing with unread input would send RST and could destroy the response in flight.
    private var lingerMs: Int64 { min(2000, max(readTimeoutMs, 100)) }

    /// Handles readiness on a client connection.
    func service(_ connection: HTTPConnection, flags: UInt32, now: Int64) {
        // A hang-up while a worker computes the response: nobody is left to send it to.
        if flags & Epoll.error != 0 || (connection.awaiting != nil && flags & Epoll.hangUp != 0) {
            closeConnection(connection)
            return
        }
        if flags & (Epoll.input | Epoll.hangUp | Epoll.readHangUp) != 0 {
            readAvailable(connection, now: now)
        }
        if !connection.isClosed && connection.hasPendingOutput {
            flush(connection, now: now)
        }
        updateInterest(connection)
    }

    /// Re-registers the epoll interest when it changed (read paused while output is pending).
    func updateInterest(_ connection: HTTPConnection) {
        guard !connection.isClosed else { return }
        let wanted = connection.wantedEvents
        if wanted == 0 && connection.awaiting == nil {
            closeConnection(connection)
            return
        }
        guard wanted != connection.registered else { return }
        do {
            try epoll.modify(connection.fd, wanted)
            connection.registered = wanted
        } catch {
            closeConnection(connection)
        }
    }

    // MARK: - Reading

    private func readAvailable(_ connection: HTTPConnection, now: Int64) {
        // A bounded number of reads per wake-up keeps one busy client from starving the others.
        for _ in 0..<16 {
            guard !connection.isClosed, connection.wantsRead else { return }
            let count: Int
            do {
                guard
                    let received = try SystemCall.nonBlocking(
                        "recv",
                        {
                            recv(connection.fd, readBuffer.baseAddress, readBuffer.count, 0)
                        })
                else { return }
                count = received
            } catch {
                closeConnection(connection)
                return
            }
            if count == 0 {
                peerClosed(connection)
                return
            }
            connection.lastActivity = now
            if connection.drainingUntil != nil || connection.closeAfterFlush { continue }
            let bytes = UnsafeRawBufferPointer(rebasing: readBuffer[0..<count])
            process(connection, events: connection.parser.feed(bytes)[...], now: now)
            if connection.hasPendingOutput { return }
        }
    }

    private func peerClosed(_ connection: HTTPConnection) {
        connection.peerClosed = true
        if connection.hasPendingOutput && connection.drainingUntil == nil {
            connection.closeAfterFlush = true
        } else {
            closeConnection(connection)
        }
    }

    /// Answers the parsed events in order. A request for a worker suspends the rest: they wait in
    /// `queuedEvents` until its response is queued, so responses keep the order of the requests.
    func process(_ connection: HTTPConnection, events: ArraySlice<HTTPParserEvent>, now: Int64) {
        var completed = false
        var index = events.startIndex
        eventLoop: while index < events.endIndex && !connection.closeAfterFlush {
            let event = events[index]
            index += 1
            switch event {
            case .request(let request):
                completed = true
                if context.handler.execution(for: request) == .worker {
                    if dispatch(request, on: connection) {
                        connection.queuedEvents = Array(events[index...])
                        connection.requestStartedAt = nil
                        return
                    }
                    let busy = HTTPError(
                        .serviceUnavailable,
                        message: "The server has \(context.workers.capacity) slow requests waiting; retry later.")
                    queue(
                        busy.response, on: connection, method: request.method, version: request.version,
                        keepAlive: request.keepAlive)
                } else {
                    queue(
                        context.handler.handle(request), on: connection, method: request.method,
                        version: request.version, keepAlive: request.keepAlive)
                }
                if connection.closeAfterFlush { break eventLoop }
            case .sendContinue:
                connection.output.append(contentsOf: HTTPResponseWriter.continueResponse)
            case .failure(let error):
                context.logger.debug(
                    "HTTP request rejected", ["http.status": "\(error.status.code)", "error": error.message])
                connection.output.append(contentsOf: HTTPResponseWriter.serialize(error, date: dateHeader()))
                connection.closeAfterFlush = true
                break eventLoop
            }
        }
        if connection.parser.isMidRequest && !connection.closeAfterFlush {
            connection.requestStartedAt = completed ? now : (connection.requestStartedAt ?? now)
        } else {
            connection.requestStartedAt = nil
        }
    }

    /// Appends `response` to the connection's output; without keep-alive (or while stopping) the
    /// connection closes after it.
    func queue(
        _ response: HTTPResponse, on connection: HTTPConnection, method: String, version: HTTPVersion, keepAlive: Bool
    ) {
        let keepAlive = keepAlive && !stopping
        connection.output.append(
            contentsOf: HTTPResponseWriter.serialize(
                response, method: method, version: version, keepAlive: keepAlive, date: dateHeader()))
        if !keepAlive { connection.closeAfterFlush = true }
    }

    // MARK: - Writing

    /// Sends what the socket takes now; the rest waits for EPOLLOUT.
    func flush(_ connection: HTTPConnection, now: Int64) {
        while connection.hasPendingOutput {
            let sent: Int?
            do {
                sent = try connection.output.withUnsafeBytes { raw throws(SocketError) in
                    try SystemCall.nonBlocking("send") {
                        send(
                            connection.fd, raw.baseAddress.map { $0 + connection.outputOffset },
                            raw.count - connection.outputOffset, Int32(MSG_NOSIGNAL))
                    }
                }
            } catch {
                closeConnection(connection)
                return
            }
            guard let sent else { return }
            connection.outputOffset += sent
            connection.lastActivity = now
        }
        connection.output.removeAll(keepingCapacity: connection.output.capacity <= 64 * 1024)
        connection.outputOffset = 0
        guard connection.closeAfterFlush, connection.drainingUntil == nil else { return }
        if connection.peerClosed {
            closeConnection(connection)
            return
        }
        shutdown(connection.fd, Int32(SHUT_WR))
        connection.drainingUntil = now + lingerMs
    }
}
