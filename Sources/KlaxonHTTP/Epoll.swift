import Glibc

/// One epoll instance, owned by one I/O loop thread.
///
/// The Glibc module map does not include `<sys/epoll.h>`, so the three calls are bound once through
/// `dlsym` with C calling convention, and events are read and written at the kernel's byte layout
/// (packed, 12 bytes, on x86_64). A `CEpoll` system-library shim would replace this file.
final class Epoll {
    static let input: UInt32 = 0x001
    static let output: UInt32 = 0x004
    static let error: UInt32 = 0x008
    static let hangUp: UInt32 = 0x010
    static let readHangUp: UInt32 = 0x2000
    static let exclusive: UInt32 = 1 << 28

    #if arch(x86_64)
    static let eventSize = 12
    static let dataOffset = 4
    #else
    static let eventSize = 16
    static let dataOffset = 8
    #endif

    private typealias CreateFunction = @convention(c) (Int32) -> Int32
    private typealias ControlFunction = @convention(c) (Int32, Int32, Int32, UnsafeMutableRawPointer?) -> Int32
    private typealias WaitFunction = @convention(c) (Int32, UnsafeMutableRawPointer?, Int32, Int32) -> Int32

    private struct Functions {
        let create: CreateFunction
        let control: ControlFunction
        let wait: WaitFunction
    }

    /// Resolved on first use; nil only on a libc without epoll.
    private static func resolve() -> Functions? {
        guard let handle = dlopen(nil, RTLD_NOW), let create = dlsym(handle, "epoll_create1"),
            let control = dlsym(handle, "epoll_ctl"), let wait = dlsym(handle, "epoll_wait")
        else { return nil }
        return Functions(
            create: unsafeBitCast(create, to: CreateFunction.self),
            control: unsafeBitCast(control, to: ControlFunction.self),
            wait: unsafeBitCast(wait, to: WaitFunction.self)
        )
    }

    let fd: Int32
    private let functions: Functions
    private let events: UnsafeMutableRawPointer
    let capacity: Int

    init(capacity: Int = 64) throws(SocketError) {
        guard let functions = Epoll.resolve() else {
            throw SocketError(operation: "epoll_create1", code: 0, reason: "this C library has no epoll")
        }
        self.functions = functions
        let cloexec: Int32 = 0o2_000_000
        fd = try SystemCall.retrying("epoll_create1") { functions.create(cloexec) }
        self.capacity = capacity
        events = UnsafeMutableRawPointer.allocate(byteCount: Epoll.eventSize * capacity, alignment: 8)
    }

    deinit {
        events.deallocate()
        close(fd)
    }

    func add(_ target: Int32, _ flags: UInt32) throws(SocketError) { try control(1, target, flags, "add") }
    func modify(_ target: Int32, _ flags: UInt32) throws(SocketError) { try control(3, target, flags, "modify") }
    func remove(_ target: Int32) { _ = try? control(2, target, 0, "remove") }

    private func control(_ op: Int32, _ target: Int32, _ flags: UInt32, _ label: String) throws(SocketError) {
        var event = (UInt64(0), UInt64(0))
        try withUnsafeMutableBytes(of: &event) { raw throws(SocketError) in
            raw.storeBytes(of: flags, toByteOffset: 0, as: UInt32.self)
            raw.storeBytes(of: UInt64(UInt32(bitPattern: target)), toByteOffset: Epoll.dataOffset, as: UInt64.self)
            _ = try SystemCall.retrying("epoll_ctl \(label) fd \(target)") {
                functions.control(fd, op, target, raw.baseAddress)
            }
        }
    }

    /// Waits up to `timeout` ms; returns how many events are ready (0 on timeout or interruption).
    func wait(timeout: Int32) throws(SocketError) -> Int {
        let count = functions.wait(fd, events, Int32(capacity), timeout)
        if count < 0 {
            if errno == EINTR { return 0 }
            throw .fromErrno("epoll_wait")
        }
        return Int(count)
    }

    /// The fd and event flags of ready event `index`.
    func event(_ index: Int) -> (fd: Int32, flags: UInt32) {
        let base = events + index * Epoll.eventSize
        let flags = base.loadUnaligned(as: UInt32.self)
        let data = (base + Epoll.dataOffset).loadUnaligned(as: UInt64.self)
        return (Int32(truncatingIfNeeded: data), flags)
    }
}
