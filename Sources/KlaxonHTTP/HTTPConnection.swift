/// One accepted client connection; owned and touched only by the I/O loop that accepted it.
final class HTTPConnection {
    let fd: Int32
    let peer: String
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

    init(fd: Int32, peer: String, limits: HTTPParserLimits, now: Int64, registered: UInt32) {
        self.fd = fd
        self.peer = peer
        self.parser = HTTPRequestParser(limits: limits)
        self.lastActivity = now
        self.registered = registered
    }

    var hasPendingOutput: Bool { outputOffset < output.count }

    /// Reading pauses while a response is unsent (backpressure against pipelining floods).
    var wantsRead: Bool { !peerClosed && (drainingUntil != nil || !hasPendingOutput) }

    var wantedEvents: UInt32 {
        (wantsRead ? Epoll.input | Epoll.readHangUp : 0) | (hasPendingOutput ? Epoll.output : 0)
    }

    /// No request in progress and nothing to send.
    var isIdle: Bool { !parser.isMidRequest && !hasPendingOutput && drainingUntil == nil && !closeAfterFlush }
}
