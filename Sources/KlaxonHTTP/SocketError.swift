import Glibc

/// A failed socket or epoll call: which operation, on what, and the system's reason.
package struct SocketError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The operation and its target, e.g. `bind 127.0.0.1:9090`.
    package var operation: String
    /// The `errno` value, or 0 when the failure did not come from errno (name resolution).
    package var code: Int32
    /// The system's explanation.
    package var reason: String

    package init(operation: String, code: Int32, reason: String) {
        self.operation = operation
        self.code = code
        self.reason = reason
    }

    /// An error from the current `errno`.
    static func fromErrno(_ operation: String, _ code: Int32 = errno) -> SocketError {
        SocketError(operation: operation, code: code, reason: String(cString: strerror(code)))
    }

    package var description: String {
        code == 0 ? "\(operation) failed: \(reason)" : "\(operation) failed: \(reason) (errno \(code))"
    }
}

/// The one place system calls are made from: retries `EINTR`, turns `-1` into a thrown `SocketError`.
enum SystemCall {
    /// Runs `body` until it is not interrupted; `-1` throws with `errno`.
    @discardableResult
    static func retrying<T: BinaryInteger>(
        _ operation: @autoclosure () -> String, _ body: () -> T
    ) throws(SocketError) -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw .fromErrno(operation(), code)
        }
    }

    /// Like `retrying`, but `EAGAIN`/`EWOULDBLOCK` (nothing to do on a non-blocking fd) returns nil.
    static func nonBlocking<T: BinaryInteger>(
        _ operation: @autoclosure () -> String, _ body: () -> T
    ) throws(SocketError) -> T? {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            throw .fromErrno(operation(), code)
        }
    }

    /// Puts `fd` in non-blocking, close-on-exec mode.
    static func makeNonBlocking(_ fd: Int32) throws(SocketError) {
        let flags = try retrying("fcntl F_GETFL") { fcntl(fd, F_GETFL) }
        try retrying("fcntl F_SETFL") { fcntl(fd, F_SETFL, flags | O_NONBLOCK) }
        try retrying("fcntl F_SETFD") { fcntl(fd, F_SETFD, FD_CLOEXEC) }
    }

    /// Sets an integer socket option.
    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32, _ label: String) throws(SocketError) {
        var value = value
        try retrying("setsockopt \(label)") {
            setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }

    /// Monotonic milliseconds, for timeouts (never wall-clock time).
    static func monotonicMilliseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
    }
}
