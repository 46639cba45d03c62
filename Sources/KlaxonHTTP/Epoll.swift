import CEpoll
import Glibc

/// One epoll instance, owned by one I/O loop thread.
final class Epoll {
    static let input = EPOLLIN.rawValue
    static let output = EPOLLOUT.rawValue
    static let error = EPOLLERR.rawValue
    static let hangUp = EPOLLHUP.rawValue
    static let readHangUp = EPOLLRDHUP.rawValue
    static let exclusive = EPOLLEXCLUSIVE.rawValue

    let fd: Int32
    private let events: UnsafeMutablePointer<epoll_event>
    let capacity: Int

    init(capacity: Int = 64) throws(SocketError) {
        fd = try SystemCall.retrying("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        self.capacity = capacity
        events = .allocate(capacity: capacity)
    }

    deinit {
        events.deallocate()
        close(fd)
    }

    func add(_ target: Int32, _ flags: UInt32) throws(SocketError) { try control(EPOLL_CTL_ADD, target, flags, "add") }
    func modify(_ target: Int32, _ flags: UInt32) throws(SocketError) {
        try control(EPOLL_CTL_MOD, target, flags, "modify")
    }
    func remove(_ target: Int32) { _ = try? control(EPOLL_CTL_DEL, target, 0, "remove") }

    private func control(_ op: Int32, _ target: Int32, _ flags: UInt32, _ label: String) throws(SocketError) {
        var event = epoll_event()
        event.events = flags
        event.data.fd = target
        _ = try SystemCall.retrying("epoll_ctl \(label) fd \(target)") { epoll_ctl(fd, op, target, &event) }
    }

    /// Waits up to `timeout` ms; returns how many events are ready (0 on timeout or interruption).
    func wait(timeout: Int32) throws(SocketError) -> Int {
        let count = epoll_wait(fd, events, Int32(capacity), timeout)
        if count < 0 {
            if errno == EINTR { return 0 }
            throw .fromErrno("epoll_wait")
        }
        return Int(count)
    }

    /// The fd and event flags of ready event `index`.
    func event(_ index: Int) -> (fd: Int32, flags: UInt32) {
        let event = events[index]
        return (event.data.fd, event.events)
    }
}
