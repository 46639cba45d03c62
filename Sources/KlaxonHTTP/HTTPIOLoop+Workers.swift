// MARK: - Requests answered on worker threads

extension HTTPIOLoop {
    /// Hands `request` to a worker; the connection reads and answers nothing more until the response
    /// comes back through `deliver(_:)`. False when the workers' queue is full.
    func dispatch(_ request: HTTPRequest, on connection: HTTPConnection) -> Bool {
        let handler = context.handler
        let fd = connection.fd
        let serial = connection.serial
        let item = HTTPWorkItem { [self] in
            let response = handler.handle(request)
            deliver(HTTPDeferredResponse(fd: fd, serial: serial, response: response))
        }
        guard context.workers.submit(item) else { return false }
        connection.awaiting = HTTPConnection.AwaitedRequest(
            item: item, method: request.method, version: request.version, keepAlive: request.keepAlive)
        return true
    }

    /// Queues the responses workers delivered, then handles what the client pipelined behind each.
    func deliverInbox(now: Int64) {
        let delivered = inbox.withLock { inbox -> [HTTPDeferredResponse] in
            defer { inbox.responses.removeAll() }
            return inbox.responses
        }
        for answer in delivered {
            // The connection may have closed, and its descriptor been reused, while the worker ran.
            guard let connection = connections[answer.fd], connection.serial == answer.serial,
                let awaited = connection.awaiting
            else { continue }
            connection.awaiting = nil
            queue(
                answer.response, on: connection, method: awaited.method, version: awaited.version,
                keepAlive: awaited.keepAlive)
            let pipelined = connection.queuedEvents
            connection.queuedEvents = []
            process(connection, events: pipelined[...], now: now)
            connection.lastActivity = now
            if connection.hasPendingOutput { flush(connection, now: now) }
            updateInterest(connection)
        }
    }
}
