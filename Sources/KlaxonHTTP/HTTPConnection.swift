/// One accepted client connection; owned and touched only by the I/O loop that accepted it.
final class HTTPConnection {
    /// What the loop needs of a request whose response a worker is computing.
    struct AwaitedRequest {
        var item: HTTPWorkItem
        var method: String
        var version: HTTPVersion
        var keepAlive: Bool
    }

    let fd: Int32
    /// Tells this connection from a later one that reuses its descriptor (a worker's answer names both).
    let serial: UInt64
    var parser: HTTPRequestParser
    /// Bytes to send; `outputOffset` of them are already sent.
    var output: [UInt8] = []
    var outputOffset = 0
    /// The last response is queued: send it, then half-close and drain.
    var closeAfterFlush = false
    /// The client shut down its sending side.
    var peerClosed = false
    /// Set once our side is shut down: read and discard until EOF or this monotonic deadline.
    var drainingUntil: Int64?
    /// Monotonic ms when the first byte of the request now being read arrived.
    var requestStartedAt: Int64?
    /// Monotonic ms of the last byte read or written.
    var lastActivity: Int64
    /// Event flags currently registered with epoll.
    var registered: UInt32
    var isClosed = false
    /// The request a worker is answering; nothing more is read or answered until it returns.
    var awaiting: AwaitedRequest?
    /// Events parsed after the awaited request (pipelining), handled once its response is queued.
    var queuedEvents: [HTTPParserEvent] = []

    init(fd: Int32, serial: UInt64, limits: HTTPParserLimits, now: Int64, registered: UInt32) {
        self.fd = fd
        self.serial = serial
        self.parser = HTTPRequestParser(limits: limits)
        self.lastActivity = now
        self.registered = registered
    }

    var hasPendingOutput: Bool { outputOffset < output.count }

    /// Reading pauses while a response is unsent or being computed (backpressure against pipelining floods).
    var wantsRead: Bool { !peerClosed && (drainingUntil != nil || (!hasPendingOutput && awaiting == nil)) }

    var wantedEvents: UInt32 {
        (wantsRead ? Epoll.input | Epoll.readHangUp : 0) | (hasPendingOutput ? Epoll.output : 0)
    }

    /// No request in progress and nothing to send.
    var isIdle: Bool {
        !parser.isMidRequest && !hasPendingOutput && drainingUntil == nil && !closeAfterFlush && awaiting == nil
    }

    /// Whether closing it to admit a new client loses nothing a client is owed: it is idle,
    /// half-sent (a request still arriving) or draining, not awaiting or sending a response.
    var isEvictable: Bool { awaiting == nil && !hasPendingOutput }

    /// Which evictable connection goes first (the smallest): draining ones, then by when the
    /// request being read began or, for an idle one, by its last activity.
    var evictionRank: Int64 {
        drainingUntil != nil ? Int64.min : (requestStartedAt ?? lastActivity)
    }
}
